import Foundation

/// The terminal in key-at-a-time mode (no line buffering, no echo; Ctrl-C still interrupts)
/// for as long as `top` runs, and the keys pressed, as a stream. `restore()` puts the
/// terminal back as it was; it runs on exit and on SIGINT/SIGTERM.
final class TerminalKeys: @unchecked Sendable {
    private var saved = termios()
    private let signals: [DispatchSourceSignal]
    let keys: AsyncStream<UInt8>

    /// Nil when standard input is not a terminal.
    init?() {
        guard isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        let (stream, continuation) = AsyncStream.makeStream(of: UInt8.self)
        keys = stream
        // A thread of its own blocks in read(2); it ends with the process.
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while read(STDIN_FILENO, &byte, 1) == 1 { continuation.yield(byte) }
            continuation.finish()
        }
        let original = saved
        signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                var terminal = original
                tcsetattr(STDIN_FILENO, TCSANOW, &terminal)
                FileHandle.standardOutput.write(Data("\n".utf8))
                exit(0)
            }
            source.resume()
            return source
        }
    }

    /// Puts the terminal back as it was.
    func restore() {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
    }
}
