import Synchronization

/// A count shared between a connection's event loop and its call task: calls queued and not
/// yet answered.
final class SharedCounter: Sendable {
    private let value = Mutex(0)

    /// Adds one unless the count is at `limit`; whether it was added.
    func increment(below limit: Int) -> Bool {
        value.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    /// Takes one away.
    func decrement() {
        value.withLock { $0 -= 1 }
    }
}
