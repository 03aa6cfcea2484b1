import NIOCore
import Synchronization

/// A server's view of its connections: how many there are, how many calls run, and the
/// channels to close at shutdown.
public final class ConnectionTracker: Sendable {
    private struct State {
        var channels: [Int: any Channel] = [:]
        var calls = 0
        var nextID = 0
    }

    private let state = Mutex(State())

    /// An empty tracker.
    public init() {}

    /// Registers a channel; its id, and how many connections there are now.
    public func add(_ channel: any Channel) -> (id: Int, count: Int) {
        state.withLock { state in
            state.nextID += 1
            state.channels[state.nextID] = channel
            return (state.nextID, state.channels.count)
        }
    }

    /// Forgets a channel.
    public func remove(_ id: Int) {
        _ = state.withLock { $0.channels.removeValue(forKey: id) }
    }

    /// A call began.
    public func callStarted() { state.withLock { $0.calls += 1 } }
    /// A call ended.
    public func callFinished() { state.withLock { $0.calls -= 1 } }

    /// Calls running now.
    public var calls: Int { state.withLock { $0.calls } }
    /// Connections open now.
    public var connections: Int { state.withLock { $0.channels.count } }
    /// Every open channel.
    public var channels: [any Channel] { state.withLock { Array($0.channels.values) } }
}
