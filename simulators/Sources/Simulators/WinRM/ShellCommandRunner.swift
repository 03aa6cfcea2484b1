/// What a WinRM shell runs a command line with: the simulated Windows machine behind the shell.
public protocol ShellCommandRunner: Sendable {
    /// Runs `command` with `arguments` (the `rsp:Command` and `rsp:Arguments` texts) to completion.
    func run(command: String, arguments: [String]) -> ShellCommandOutput
}
