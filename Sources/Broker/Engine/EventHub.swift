import BrokerAPI
import Synchronization

/// Fans events out to subscribers. Each subscriber has a bounded queue: when it falls behind,
/// further events are dropped and counted, and it gets one `lost(n)` in their place as soon as
/// there is room again — never unbounded memory.
final class EventHub: Sendable {
    private struct Subscriber {
        let filter: EventFilter
        let continuation: AsyncStream<BrokerEvent>.Continuation
        var lost = 0
    }

    private struct State {
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 1
    }

    private let state = Mutex(State())

    /// Subscribes; the stream ends when `unsubscribe` is called or the hub shuts down.
    func subscribe(_ filter: EventFilter, limit: Int) -> (id: Int, events: AsyncStream<BrokerEvent>) {
        let (stream, continuation) = AsyncStream.makeStream(of: BrokerEvent.self, bufferingPolicy: .bufferingOldest(max(1, limit)))
        let id = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(filter: filter, continuation: continuation)
            return id
        }
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        return (id, stream)
    }

    /// Ends a subscription; false when there was none with that id.
    @discardableResult
    func unsubscribe(_ id: Int) -> Bool {
        guard let subscriber = remove(id) else { return false }
        subscriber.continuation.finish()
        return true
    }

    /// The number of subscribers.
    var count: Int { state.withLock { $0.subscribers.count } }

    /// Delivers an event to every subscriber whose filter admits it.
    func publish(_ event: BrokerEvent) {
        state.withLock { state in
            for id in state.subscribers.keys {
                guard var subscriber = state.subscribers[id], Self.admits(subscriber.filter, event) else { continue }
                if subscriber.lost > 0 {
                    guard case .enqueued = subscriber.continuation.yield(.lost(subscriber.lost)) else {
                        subscriber.lost += 1
                        state.subscribers[id] = subscriber
                        continue
                    }
                    subscriber.lost = 0
                }
                if case .dropped = subscriber.continuation.yield(event) { subscriber.lost += 1 }
                state.subscribers[id] = subscriber
            }
        }
    }

    /// Ends every subscription.
    func finishAll() {
        let all = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in all { subscriber.continuation.finish() }
    }

    @discardableResult
    private func remove(_ id: Int) -> Subscriber? {
        state.withLock { $0.subscribers.removeValue(forKey: id) }
    }

    private static func admits(_ filter: EventFilter, _ event: BrokerEvent) -> Bool {
        switch event {
        case .domain(let record): filter.admits(record)
        case .backend(let record): filter.admits(record)
        case .lost: true
        }
    }
}
