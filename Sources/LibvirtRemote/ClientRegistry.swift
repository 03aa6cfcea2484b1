import NIOCore
import Synchronization

/// The server's connections: ids, the count for the limit, the channels to close at shutdown.
final class ClientRegistry: Sendable {
    private let state = Mutex<(next: Int, channels: [Int: any Channel])>((0, [:]))

    /// Registers a channel; its id and how many there are now.
    func add(_ channel: any Channel) -> (id: Int, count: Int) {
        state.withLock { state in
            state.next += 1
            state.channels[state.next] = channel
            return (state.next, state.channels.count)
        }
    }

    func remove(_ id: Int) {
        _ = state.withLock { $0.channels.removeValue(forKey: id) }
    }

    var count: Int { state.withLock { $0.channels.count } }
    var channels: [any Channel] { state.withLock { Array($0.channels.values) } }
}
