import BrokerAPI
import Foundation

extension ClusterNode {
    /// What this node saw of the cluster at its last round, from memory.
    public func health() -> ClusterHealth {
        let counts = events.counts
        let now = ContinuousClock.now
        return state.withLock { state in
            ClusterHealth(
                node: settings.node, storeUp: state.storeReachable,
                lastRoundSeconds: state.lastRound.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 },
                nodesAlive: state.nodesAlive, nodesDown: state.nodesDown, backendsHeld: state.held.count, backendsUnheld: state.unheld,
                peerCopies: state.peers.map { backend, copy in
                    let age = Duration.milliseconds(copy.ageMilliseconds) + (now - copy.fetched)
                    return ClusterHealth.PeerCopy(backend: backend, node: copy.node,
                                                  ageSeconds: Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18)
                }.sorted { $0.backend < $1.backend },
                eventsSent: counts.sent, eventsReceived: counts.received, eventsLost: counts.lost)
        }
    }
}
