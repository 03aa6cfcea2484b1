import BrokerAPI
import Federation
import JSONRPC
import Synchronization

/// The live `events.subscribe` subscriptions: each one a task forwarding the broker's events
/// to its connection as notifications, ended by `events.unsubscribe` or the connection closing.
final class EventSubscriptions: Sendable {
    private struct Subscription {
        let connection: Int
        let task: Task<Void, Never>
    }

    private let service: FederationService
    private let queueLimit: Int
    private let live = Mutex<[Int: Subscription]>([:])

    init(service: FederationService, queueLimit: Int) {
        self.service = service
        self.queueLimit = queueLimit
    }

    /// Starts forwarding events that pass `filter` to the connection behind `notifier`.
    func start(_ filter: EventFilter, connection: Int, notifier: RPCNotifier) -> EventSubscription {
        let (id, events) = service.subscribe(filter, limit: queueLimit)
        let hold = notifier.hold()
        let service = self.service
        let task = Task {
            for await event in events {
                do throws(RPCError) {
                    switch event {
                    case .domain(let record): try await notifier.notify("event.domain", params: record)
                    case .backend(let record): try await notifier.notify("event.backend", params: record)
                    case .job(let record): try await notifier.notify("event.job", params: record)
                    case .lost(let count): try await notifier.notify("event.lost", params: LostEvents(count: count))
                    }
                } catch {
                    break
                }
            }
            service.unsubscribe(id)
            hold.release()
        }
        live.withLock { $0[id] = Subscription(connection: connection, task: task) }
        notifier.onClose { [weak self] in self?.stop(id, connection: connection) }
        return EventSubscription(subscription: id)
    }

    /// Ends a subscription of this connection; false when it has none with that id.
    @discardableResult
    func stop(_ id: Int, connection: Int) -> Bool {
        let found = live.withLock { live -> Subscription? in
            guard let subscription = live[id], subscription.connection == connection else { return nil }
            live[id] = nil
            return subscription
        }
        guard let found else { return false }
        found.task.cancel()
        service.unsubscribe(id)
        return true
    }
}
