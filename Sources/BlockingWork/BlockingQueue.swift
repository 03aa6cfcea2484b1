import Synchronization

/// A serial line of work for one owner's blocking C calls (a libvirt connection, a libcurl
/// handle), run on a `BlockingPool`'s threads — never on Swift's cooperative pool or an event
/// loop, and never a thread of its own. One item at a time, in order.
public final class BlockingQueue: Sendable {
    private struct State {
        var items: [@Sendable () -> Void] = []
        /// Whether the queue is in the pool's line or on a thread now.
        var scheduled = false
    }

    /// The queue's name, for logs.
    public let label: String
    private let pool: BlockingPool
    private let state = Mutex(State())

    /// Creates a queue whose work runs on `pool`.
    public init(label: String, pool: BlockingPool) {
        self.label = label
        self.pool = pool
    }

    /// Runs `body` on the queue and returns its result. The call itself is not cancellable
    /// (a C call cannot be interrupted); callers bound it with `withDeadline`.
    public func run<T: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> T) async throws(Failure) -> T {
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            submit {
                do throws(Failure) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Runs `body` on the queue without waiting for it.
    public func submit(_ body: @escaping @Sendable () -> Void) {
        let schedule = state.withLock { state -> Bool in
            state.items.append(body)
            defer { state.scheduled = true }
            return !state.scheduled
        }
        if schedule { pool.schedule(self) }
    }

    /// Runs the next item on the calling pool thread, then gives the thread back: the queue
    /// goes to the end of the pool's line if it has more, so busy queues take turns.
    func runNext(in pool: BlockingPool) {
        let item = state.withLock { state -> (@Sendable () -> Void)? in
            state.items.isEmpty ? nil : state.items.removeFirst()
        }
        item?()
        let more = state.withLock { state -> Bool in
            state.scheduled = !state.items.isEmpty
            return state.scheduled
        }
        if more { pool.schedule(self) }
    }
}
