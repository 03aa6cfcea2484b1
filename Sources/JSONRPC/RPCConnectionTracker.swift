import NIOCore
import Synchronization

/// The server's view of its connections: how many there are, how many calls run, and the
/// channels to close at shutdown.
final class RPCConnectionTracker: Sendable {
    private struct State {
        var channels: [Int: any Channel] = [:]
        var calls = 0
        var nextID = 0
    }

    private let state = Mutex(State())

    /// Registers a channel; its id, and how many connections there are now.
    func add(_ channel: any Channel) -> (id: Int, count: Int) {
        state.withLock { state in
            state.nextID += 1
            state.channels[state.nextID] = channel
            return (state.nextID, state.channels.count)
        }
    }

    func remove(_ id: Int) {
        _ = state.withLock { $0.channels.removeValue(forKey: id) }
    }

    func callStarted() { state.withLock { $0.calls += 1 } }
    func callFinished() { state.withLock { $0.calls -= 1 } }

    var calls: Int { state.withLock { $0.calls } }
    var connections: Int { state.withLock { $0.channels.count } }
    var channels: [any Channel] { state.withLock { Array($0.channels.values) } }
}
