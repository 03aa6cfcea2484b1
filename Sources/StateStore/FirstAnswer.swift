import Synchronization

/// The first of several racing answers (a query and its deadline), handed to a continuation
/// exactly once; the later ones are dropped.
final class FirstAnswer<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<T, any Error>, Never>?
        var given = false
        var onGiven: (@Sendable () -> Void)?
    }

    private let state: Mutex<State>

    init(_ continuation: CheckedContinuation<Result<T, any Error>, Never>) {
        state = Mutex(State(continuation: continuation))
    }

    /// Hands `result` over if none was; true when this one was.
    @discardableResult
    func give(_ result: Result<T, any Error>) -> Bool {
        let (continuation, then) = state.withLock { state -> (CheckedContinuation<Result<T, any Error>, Never>?, (@Sendable () -> Void)?) in
            guard !state.given else { return (nil, nil) }
            state.given = true
            defer { state.continuation = nil; state.onGiven = nil }
            return (state.continuation, state.onGiven)
        }
        guard let continuation else { return false }
        continuation.resume(returning: result)
        then?()
        return true
    }

    /// Runs `action` once an answer was handed over (at once if one was).
    func onGiven(_ action: @escaping @Sendable () -> Void) {
        let already = state.withLock { state -> Bool in
            if state.given { return true }
            state.onGiven = action
            return false
        }
        if already { action() }
    }
}
