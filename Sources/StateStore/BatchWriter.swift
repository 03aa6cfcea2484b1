import Synchronization

/// Writes items in the order they were handed over, off the caller's path: one task gathers
/// what arrives within `window` and writes it in one go (one transaction), so that many
/// callers share a write and none waits for one.
final class BatchWriter<Item: Sendable>: Sendable {
    private final class Pending: Sendable {
        let items = Mutex<[Item]>([])
    }

    private let pending = Pending()
    private let wake: AsyncStream<Void>.Continuation
    private let write: @Sendable ([Item]) async -> Void

    /// `write` gets each batch, in order; it is never called with an empty one.
    init(window: Duration, write: @escaping @Sendable ([Item]) async -> Void) {
        let (signals, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.wake = wake
        self.write = write
        Task { [pending] in
            for await _ in signals {
                try? await Task.sleep(for: window)
                let batch = pending.items.withLock { items in
                    defer { items.removeAll(keepingCapacity: true) }
                    return items
                }
                if !batch.isEmpty { await write(batch) }
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
