import BlockingWork

/// Runs `operation` under a deadline; past it, a `timeout` error saying what did not answer.
/// (`BlockingWork.withDeadline` with the broker's error.)
public func withDeadline<T: Sendable>(
    milliseconds: Int,
    what: @autoclosure () -> String,
    _ operation: @escaping @Sendable () async throws(BackendError) -> T
) async throws(BackendError) -> T {
    let message = "\(what()) did not answer within \(milliseconds) ms"
    return try await withDeadline(milliseconds: milliseconds, onTimeout: { BackendError(.timeout, message) }, operation)
}
