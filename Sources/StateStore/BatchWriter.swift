import BrokerCore
import Synchronization

/// Writes items in the order they were handed over, off the caller's path: one task gathers
/// what arrives within `window` and writes it in one go (one transaction), so that many
/// callers share a write and none waits for one. A batch that fails is tried again after each
/// of `retries` (a store coming back from an outage, a connection the pool must replace), the
/// batches behind it waiting their turn; only then is it handed to `dropped`.
final class BatchWriter<Item: Sendable>: Sendable {
    private final class Pending: Sendable {
        let items = Mutex<[Item]>([])
    }

    private let pending = Pending()
    private let wake: AsyncStream<Void>.Continuation
    private let write: @Sendable ([Item]) async -> Void

    /// The pauses before writing a failed batch again.
    static var defaultRetries: [Duration] { [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2)] }

    /// `write` gets each batch, in order; it is never called with an empty one. `dropped` gets
    /// a batch that failed every try, with the last error.
    init(window: Duration, retries: [Duration] = defaultRetries, write: @escaping @Sendable ([Item]) async throws(BackendError) -> Void,
         dropped: @escaping @Sendable ([Item], BackendError) -> Void) {
        let (signals, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.wake = wake
        let persistent: @Sendable ([Item]) async -> Void = { batch in
            var pauses = retries[...]
            while true {
                do throws(BackendError) {
                    try await write(batch)
                    return
                } catch {
                    guard let pause = pauses.popFirst() else { return dropped(batch, error) }
                    try? await Task.sleep(for: pause)
                }
            }
        }
        self.write = persistent
        Task { [pending] in
            for await _ in signals {
                try? await Task.sleep(for: window)
                let batch = pending.items.withLock { items in
                    defer { items.removeAll(keepingCapacity: true) }
                    return items
                }
                if !batch.isEmpty { await persistent(batch) }
            }
        }
    }

    /// Queues an item.
    func append(_ item: Item) {
        pending.items.withLock { $0.append(item) }
        wake.yield()
    }

    /// Writes what is queued now, without waiting for the window (at shutdown).
    func flush() async {
        let batch = pending.items.withLock { items in
            defer { items.removeAll() }
            return items
        }
        if !batch.isEmpty { await write(batch) }
    }
}
