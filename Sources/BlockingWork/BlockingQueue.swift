import Dispatch

/// A serial thread of work for one owner's blocking C calls (libvirt, libcurl easy), so
/// they never run on Swift's cooperative pool or an event loop. One hop there, one hop back.
public final class BlockingQueue: Sendable {
    private let queue: DispatchQueue

    /// Creates a queue; the label names it in thread dumps.
    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Runs `body` on the queue and returns its result. The call itself is not cancellable
    /// (a C call cannot be interrupted); callers bound it with `withDeadline`.
    public func run<T: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> T) async throws(Failure) -> T {
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            queue.async {
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
        queue.async(execute: body)
    }
}
