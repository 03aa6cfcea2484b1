import BrokerAPI
import Synchronization

/// Fans events out to subscribers, each through a bounded `EventQueue`: one that falls behind
/// gets `lost(n)` in place of what it missed — never unbounded memory. Events that arise here
/// also go to the observer, if any (a cluster node relays them to the others); events relayed
/// from elsewhere do not, so none goes round twice.
final class EventHub: Sendable {
    private struct Subscriber {
        let filter: EventFilter
        let queue: EventQueue
    }

    private struct State {
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 1
        var observer: (@Sendable (BrokerEvent) -> Void)?
    }

    private let state = Mutex(State())

    /// Subscribes; the stream ends when `unsubscribe` is called or the hub shuts down.
    func subscribe(_ filter: EventFilter, limit: Int) -> (id: Int, events: AsyncStream<BrokerEvent>) {
        let queue = EventQueue(limit: limit)
        let id = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(filter: filter, queue: queue)
            return id
        }
        let stream = AsyncStream(unfolding: { await queue.next() }, onCancel: { [weak self] in self?.unsubscribe(id) })
        return (id, stream)
    }

    /// Ends a subscription; false when there was none with that id.
    @discardableResult
    func unsubscribe(_ id: Int) -> Bool {
        guard let subscriber = remove(id) else { return false }
        subscriber.queue.finish()
        return true
    }

    /// The number of subscribers.
    var count: Int { state.withLock { $0.subscribers.count } }

    /// Sets (or, with nil, removes) what also sees every event that arises here.
    func observe(_ observer: (@Sendable (BrokerEvent) -> Void)?) {
        state.withLock { $0.observer = observer }
    }

    /// Delivers an event that arose here to every subscriber whose filter admits it, and to the observer.
    func publish(_ event: BrokerEvent) {
        let observer = deliver(event)
        observer?(event)
    }

    /// Delivers an event relayed from elsewhere to the subscribers only.
    func publishRelayed(_ event: BrokerEvent) {
        _ = deliver(event)
    }

    private func deliver(_ event: BrokerEvent) -> (@Sendable (BrokerEvent) -> Void)? {
        let (queues, observer) = state.withLock { state in
            (state.subscribers.values.filter { Self.admits($0.filter, event) }.map(\.queue), state.observer)
        }
        for queue in queues { queue.push(event) }
        return observer
    }

    /// Ends every subscription.
    func finishAll() {
        let all = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in all { subscriber.queue.finish() }
    }

    @discardableResult
    private func remove(_ id: Int) -> Subscriber? {
        state.withLock { $0.subscribers.removeValue(forKey: id) }
    }

    private static func admits(_ filter: EventFilter, _ event: BrokerEvent) -> Bool {
        switch event {
        case .domain(let record): filter.admits(record)
        case .backend(let record): filter.admits(record)
        case .job(let record): filter.admits(record)
        case .lost: true
        }
    }
}
