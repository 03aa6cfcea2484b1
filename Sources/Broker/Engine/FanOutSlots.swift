import BrokerCore
import Synchronization

/// One result slot per backend of a fan-out, filled by the backend's child task.
final class FanOutSlots<T: Sendable>: Sendable {
    private let slots: Mutex<[Result<T, BackendError>?]>

    init(count: Int) {
        slots = Mutex(Array(repeating: nil, count: count))
    }

    func fill(_ index: Int, with result: Result<T, BackendError>) {
        slots.withLock { $0[index] = result }
    }

    /// Every slot's result, in order; a slot no child filled (none: every child fills its own)
    /// reads as an internal error rather than a crash.
    var results: [Result<T, BackendError>] {
        slots.withLock { slots in
            slots.map { $0 ?? .failure(BackendError(.internal, "no result")) }
        }
    }
}
