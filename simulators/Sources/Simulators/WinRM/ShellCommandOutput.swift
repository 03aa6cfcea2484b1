/// A finished command: its output streams and exit code.
public struct ShellCommandOutput: Sendable, Equatable {
    /// Bytes written to stdout.
    public var stdout: [UInt8]
    /// Bytes written to stderr.
    public var stderr: [UInt8]
    /// The process exit code.
    public var exitCode: Int32

    /// Creates an output.
    public init(stdout: [UInt8] = [], stderr: [UInt8] = [], exitCode: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}
