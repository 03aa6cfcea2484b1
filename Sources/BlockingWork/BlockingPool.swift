import Dispatch
import Foundation
import Synchronization

/// A fixed number of threads running the blocking work of many `BlockingQueue`s: however many
/// sessions there are (a thousand backends), the threads stay this many. Each queue's work
/// still runs one item at a time, in order; queues with work take turns, one item each.
public final class BlockingPool: Sendable {
    private struct State {
        /// Queues with work waiting and no thread on them, in turn order.
        var ready: [BlockingQueue] = []
        var readIndex = 0
    }

    /// The pool's name, given to its threads.
    public let name: String
    /// Its threads.
    public let threads: Int
    private let state = Mutex(State())
    private let wakeUps = DispatchSemaphore(value: 0)

    /// Starts `threads` threads named after `name`.
    public init(name: String, threads: Int) {
        self.name = name
        self.threads = max(1, threads)
        for index in 0..<self.threads {
            let thread = Thread { [self] in self.work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// A size for machines like this one: blocking calls mostly wait on I/O, so a few per core.
    public static func defaultThreads(perCore: Int = 8, minimum: Int = 16) -> Int {
        max(minimum, perCore * ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Puts a queue that has work in line for a thread.
    func schedule(_ queue: BlockingQueue) {
        state.withLock { $0.ready.append(queue) }
        wakeUps.signal()
    }

    private func work() {
        while true {
            wakeUps.wait()
            let queue = state.withLock { state -> BlockingQueue in
                let queue = state.ready[state.readIndex]
                state.readIndex += 1
                if state.readIndex > 1024 && state.readIndex * 2 > state.ready.count {
                    state.ready.removeFirst(state.readIndex)
                    state.readIndex = 0
                }
                return queue
            }
            queue.runNext(in: self)
        }
    }
}
