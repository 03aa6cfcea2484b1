import Synchronization

/// Runs `operation` and returns its result, or throws `onTimeout()` once `milliseconds` have
/// passed — without waiting for the operation, which may be stuck in a C call that nothing
/// can interrupt. A late result is dropped; whichever side loses is cancelled.
public func withDeadline<T: Sendable, Failure: Error>(
    milliseconds: Int,
    onTimeout: @escaping @Sendable () -> Failure,
    _ operation: @escaping @Sendable () async throws(Failure) -> T
) async throws(Failure) -> T {
    let race = Race<Result<T, Failure>>()
    let result: Result<T, Failure> = await withCheckedContinuation { continuation in
        race.arm(continuation)
        race.add(Task {
            do throws(Failure) {
                race.finish(.success(try await operation()))
            } catch {
                race.finish(.failure(error))
            }
        })
        race.add(Task {
            guard (try? await Task.sleep(for: .milliseconds(milliseconds))) != nil else { return }
            race.finish(.failure(onTimeout()))
        })
    }
    return try result.get()
}

/// A continuation resumed once, by the first of several tasks to finish; the rest are cancelled.
private final class Race<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, Never>?
        var runners: [Task<Void, Never>] = []
        var settled = false
    }

    private let state = Mutex(State())

    func arm(_ continuation: CheckedContinuation<Value, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func add(_ runner: Task<Void, Never>) {
        let settled = state.withLock { state in
            if !state.settled { state.runners.append(runner) }
            return state.settled
        }
        if settled { runner.cancel() }
    }

    func finish(_ value: Value) {
        let (continuation, runners) = state.withLock { state in
            guard !state.settled else { return (nil as CheckedContinuation<Value, Never>?, [Task<Void, Never>]()) }
            state.settled = true
            defer { state.continuation = nil; state.runners = [] }
            return (state.continuation, state.runners)
        }
        continuation?.resume(returning: value)
        for runner in runners { runner.cancel() }
    }
}
