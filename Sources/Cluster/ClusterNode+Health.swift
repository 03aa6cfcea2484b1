import BrokerAPI
import BrokerCore
import Foundation

extension ClusterNode {
    /// What this node saw of the cluster at its last round, from memory.
    public func health() -> ClusterHealth {
        let counts = events.counts
        let now = ContinuousClock.now
        return state.withLock { state in
            ClusterHealth(
                node: settings.node, storeUp: state.storeReachable,
                lastRoundSeconds: state.lastRound?.inSeconds,
                nodesAlive: state.nodesAlive, nodesDown: state.nodesDown, backendsHeld: state.held.count, backendsUnheld: state.unheld,
                peerCopies: state.peers.map { backend, copy in
                    ClusterHealth.PeerCopy(backend: backend, node: copy.node,
                                           ageSeconds: (Duration.milliseconds(copy.ageMilliseconds) + (now - copy.fetched)).inSeconds)
                }.sorted { $0.backend < $1.backend },
                eventsSent: counts.sent, eventsReceived: counts.received, eventsLost: counts.lost)
        }
    }
}
