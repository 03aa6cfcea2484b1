import LibvirtRemote
import Synchronization

/// The federation's node info, kept for a while (virt-manager asks every second; hardware
/// does not change that fast).
final class NodeInfoCache: Sendable {
    private let cached = Mutex<(value: NodeInfoReply, at: ContinuousClock.Instant)?>(nil)
    private let lifetime = Duration.seconds(30)

    func value(_ compute: () async throws(RemoteError) -> NodeInfoReply) async throws(RemoteError) -> NodeInfoReply {
        let now = ContinuousClock.now
        if let entry = cached.withLock({ $0 }), now - entry.at < lifetime { return entry.value }
        let value = try await compute()
        cached.withLock { $0 = (value, now) }
        return value
    }
}
