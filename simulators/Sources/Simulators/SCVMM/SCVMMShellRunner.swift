import Foundation

/// The simulated VMM server's command interpreter behind the WinRM shell: `powershell …` lines run
/// the PowerShell subset with the VMM cmdlets (output on stdout, errors as CLIXML on stderr), other
/// lines are cmd.exe (`echo`, `hostname`; anything else is not recognized).
public struct SCVMMShellRunner: ShellCommandRunner {
    /// The model the cmdlets act on.
    public let model: SCVMMModel
    /// Whether a script that imports a module also writes the "Preparing modules for first use."
    /// progress record to stderr (CLIXML), even when it succeeds, as real servers often do.
    public let moduleProgress: Bool
    private let commands: [PSCommandDefinition]

    /// Creates a runner.
    public init(model: SCVMMModel, moduleProgress: Bool = false) {
        self.model = model
        self.moduleProgress = moduleProgress
        commands = SCVMMCmdlets.all(model: model)
    }

    /// The longest command line cmd.exe accepts (WinRM runs commands through it unless
    /// WINRS_SKIP_CMD_SHELL is set, and pywinrm does not set it).
    public static let maxCommandLine = 8191

    /// Runs one command line.
    public func run(command: String, arguments: [String]) -> ShellCommandOutput {
        guard ([command] + arguments).joined(separator: " ").count <= Self.maxCommandLine else {
            return ShellCommandOutput(stderr: Array("The command line is too long.\r\n".utf8), exitCode: 1)
        }
        switch PowerShellCommandLine(command: command, arguments: arguments) {
        case .powershell(let script): return runPowerShell(script)
        case .invalid(let message): return ShellCommandOutput(stderr: Array((message + "\r\n").utf8), exitCode: 1)
        case .cmd(let line): return runCmd(line)
        }
    }

    /// Runs a PowerShell script as powershell.exe `-EncodedCommand` would.
    public func runPowerShell(_ script: String) -> ShellCommandOutput {
        let result = PSInterpreter(commands: commands).run(script)
        let stdout = PSOutputFormatter.render(result.output)
        let progress = moduleProgress && script.range(of: "import-module", options: .caseInsensitive) != nil
        let stderr = result.errors.isEmpty && !progress ? ""
            : CLIXML.errorStream(result.errors.flatMap { $0.lines(script: script) }, moduleProgress: progress)
        return ShellCommandOutput(stdout: Array(stdout.utf8), stderr: Array(stderr.utf8), exitCode: result.exitCode)
    }

    private func runCmd(_ line: String) -> ShellCommandOutput {
        let trimmed = line.trimmingSpaces
        let name = String(trimmed.prefix { !$0.isWhitespace && $0 != "." })
        let rest = String(trimmed.dropFirst(name.count))
        switch name.lowercased() {
        case "": return ShellCommandOutput(exitCode: 0)
        case "echo":
            let text = rest.hasPrefix(".") ? String(rest.dropFirst()) : String(rest.drop { $0 == " " })
            return ShellCommandOutput(stdout: Array(((text.isEmpty && !rest.hasPrefix(".") ? "ECHO is on." : text) + "\r\n").utf8), exitCode: 0)
        case "hostname":
            let short = model.serverName.split(separator: ".").first.map(String.init) ?? model.serverName
            return ShellCommandOutput(stdout: Array((short + "\r\n").utf8), exitCode: 0)
        default:
            let message = "'\(name)' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"
            return ShellCommandOutput(stderr: Array(message.utf8), exitCode: 1)
        }
    }
}
