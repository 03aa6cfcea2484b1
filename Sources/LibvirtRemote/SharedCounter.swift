import NIOCore
import Synchronization

/// A connection's calls queued and not yet answered, shared between its event loop and its
/// call task, and whether reading is paused because there are too many. Reading stops at the
/// limit and resumes (on the event loop) once the answers have been written.
final class SharedCounter: Sendable {
    private let state = Mutex<(count: Int, paused: Bool)>((0, false))
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// One more call queued; on the event loop. Stops reading at the limit.
    func increment(_ channel: any Channel) {
        let pause = state.withLock { state -> Bool in
            state.count += 1
            guard state.count >= limit, !state.paused else { return false }
            state.paused = true
            return true
        }
        if pause { channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in } }
    }

    /// One call answered; from the call task. Resumes reading below the limit.
    func decrement(_ channel: any Channel) {
        let check = state.withLock { state -> Bool in
            state.count -= 1
            return state.paused && state.count < limit
        }
        guard check else { return }
        channel.eventLoop.execute {
            let resume = self.state.withLock { state -> Bool in
                guard state.paused && state.count < self.limit else { return false }
                state.paused = false
                return true
            }
            if resume { channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in } }
        }
    }
}
