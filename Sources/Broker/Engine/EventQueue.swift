import BrokerAPI
import Synchronization

/// One subscriber's bounded queue. Past `limit` waiting events, further ones are counted
/// instead of kept, and the count is delivered as one `lost(n)` in their place — as soon as
/// the subscriber has read what came before, whether or not anything else happens after.
final class EventQueue: Sendable {
    private struct State {
        var events: [BrokerEvent] = []
        var head = 0
        var lost = 0
        var finished = false
        var waiter: CheckedContinuation<BrokerEvent?, Never>?

        var waiting: Int { events.count - head }

        mutating func pop() -> BrokerEvent? {
            guard head < events.count else { return nil }
            defer {
                head += 1
                if head > 64 && head * 2 > events.count {
                    events.removeFirst(head)
                    head = 0
                }
            }
            return events[head]
        }
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Adds an event, or counts it as lost when the queue is full.
    func push(_ event: BrokerEvent) {
        let waiter = state.withLock { state -> CheckedContinuation<BrokerEvent?, Never>? in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                // The subscriber is waiting, so nothing is queued and nothing was lost.
                state.waiter = nil
                return waiter
            }
            let needed = state.lost > 0 ? 2 : 1
            guard state.waiting + needed <= limit else {
                state.lost += 1
                return nil
            }
            if state.lost > 0 {
                state.events.append(.lost(state.lost))
                state.lost = 0
            }
            state.events.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// The next event; nil once finished.
    func next() async -> BrokerEvent? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<BrokerEvent?, Never>) in
                let ready = state.withLock { state -> BrokerEvent?? in
                    if let event = state.pop() { return .some(event) }
                    if state.lost > 0 {
                        defer { state.lost = 0 }
                        return .some(.lost(state.lost))
                    }
                    if state.finished { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish()
        }
    }

    /// Ends the queue: a waiting `next` returns nil, and so does every later one.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<BrokerEvent?, Never>? in
            state.finished = true
            state.events = []
            state.head = 0
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }
}
