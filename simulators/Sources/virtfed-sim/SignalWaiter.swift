import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for SIGINT or SIGTERM (their default actions are disabled while waiting).
enum SignalWaiter {
    /// Returns the name of the first of SIGINT/SIGTERM to arrive.
    static func wait() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let queue = DispatchQueue(label: "virtfed-sim.signals")
            let once = Once()
            var sources: [any DispatchSourceSignal] = []
            for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler {
                    if once.fire() { continuation.resume(returning: name) }
                }
                source.resume()
                sources.append(source)
            }
            Keep.sources = sources
        }
    }

    /// Keeps the signal sources alive for the life of the process.
    private enum Keep {
        nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
    }

    /// Fires once; touched only on the signal queue.
    private final class Once: @unchecked Sendable {
        private var fired = false
        func fire() -> Bool {
            defer { fired = true }
            return !fired
        }
    }
}
