import NIOCore

/// One command started in a shell: its finished output, released from `readyAt` on, in chunks.
struct WinRMCommandRecord: Sendable {
    /// `CommandId` (uppercase GUID).
    var id: String
    /// What the command produced.
    var output: ShellCommandOutput
    /// When its output becomes available (`--command-ms` after the start).
    var readyAt: NIODeadline
    /// stdout bytes already sent.
    var stdoutSent = 0
    /// stderr bytes already sent.
    var stderrSent = 0

    /// Whether everything has been sent.
    var drained: Bool { stdoutSent >= output.stdout.count && stderrSent >= output.stderr.count }

    /// Takes the next piece of output, at most `limit` bytes in all: stdout first, then stderr.
    mutating func nextChunk(limit: Int) -> (stdout: ArraySlice<UInt8>, stderr: ArraySlice<UInt8>, done: Bool) {
        let outEnd = min(output.stdout.count, stdoutSent + limit)
        let stdout = output.stdout[stdoutSent..<outEnd]
        stdoutSent = outEnd
        let room = max(0, limit - stdout.count)
        let errEnd = min(output.stderr.count, stderrSent + room)
        let stderr = output.stderr[stderrSent..<errEnd]
        stderrSent = errEnd
        return (stdout, stderr, drained)
    }
}
