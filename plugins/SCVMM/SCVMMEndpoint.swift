import BrokerCore
import WinRMSupport
import WSMan

/// Where and how to reach an SCVMM server: the WinRM rules shared with Hyper-V
/// (`WinRMEndpoint`: transport, ports 5985/5986, `/wsman`, auth, `no_verify`), plus the
/// plugin's own tuning parameters `job_poll_ms` (how often a VMM job is polled, default 100),
/// `max_shells` (WinRM shells open at once, default 2), `shell_commands` (commands per shell
/// before it is recycled, default 1000) and
/// `operation_timeout` (seconds a Receive waits for output before WinRM's `w:TimedOut`, after
/// which it is asked again; default 20, as pywinrm).
struct SCVMMEndpoint {
    let winrm: WinRMEndpoint
    let jobPollInterval: Duration
    let commandsPerShell: Int
    let maxShells: Int
    let operationTimeoutSeconds: Int

    init(_ uri: BackendURI) throws(BackendError) {
        winrm = try WinRMEndpoint(uri)
        jobPollInterval = .milliseconds(try Self.positive(uri, "job_poll_ms", default: 100))
        commandsPerShell = try Self.positive(uri, "shell_commands", default: 1000)
        maxShells = try Self.positive(uri, "max_shells", default: 2)
        operationTimeoutSeconds = try Self.positive(uri, "operation_timeout", default: 20)
    }

    private static func positive(_ uri: BackendURI, _ name: String, default value: Int) throws(BackendError) -> Int {
        guard let text = uri.param(name) else { return value }
        guard let number = Int(text), number > 0 else {
            throw BackendError(.invalidArgument, "query parameter '\(name)' must be a positive integer, not '\(text)'")
        }
        return number
    }
}
