import Foundation
import ArgumentParser
import BrokerAPI
import BrokerCore

/// A lifecycle verb (`start`, `shutdown` …): one type per verb, sharing this behaviour. The
/// action runs as a job in the daemon: the command shows its progress until it ends (a bar on a
/// terminal, a line per change otherwise), or with `--no-wait` prints its id and leaves it.
/// Ctrl-C detaches: the job goes on, and the command says how to follow it.
protocol LifecycleCommand: ClientCommand {
    static var action: DomainAction { get }
    /// virsh's words after the action succeeded, with `%@` for the VM's name.
    static var done: String { get }
    var domain: String { get }
    var waiting: JobWaitOptions { get }
}

/// `--no-wait`, shared by the lifecycle verbs.
struct JobWaitOptions: ParsableArguments {
    @Flag(name: .customLong("no-wait"), help: "Print the job's id and return at once; the daemon follows the job (see 'virtfed job ID').")
    var noWait = false
}

extension LifecycleCommand {
    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let result = try await client.perform(.lifecycle(Self.action), on: domain, wait: waiting.firstWait)
        return try await waiting.show(result, client: client, global: global, done: Self.done)
    }
}

extension JobWaitOptions {
    /// How long the first call waits for the job (not at all with `--no-wait`).
    var firstWait: Duration { noWait ? .zero : JobFollower.firstWait }

    /// Shows a change's job: its id with `--no-wait`; otherwise its progress until it ends, then
    /// `done` (virsh's words, `%@` the VM's name) or the failure.
    func show(_ result: ActionResult, client: any FederationClient, global: GlobalOptions, done: String) async throws(BackendError) -> ExitCode {
        if noWait {
            if global.json { Output.json(result) } else { Output.print(result.job.id) }
            return ExitStatus.success
        }
        let job = result.job.state.isFinal ? result.job : try await JobFollower(client: client, json: global.json).follow(result.job)
        guard let job else { return ExitStatus.detached }
        if global.json {
            var ended = result
            ended.job = job
            Output.json(ended)
            return ExitStatus.of(job)
        }
        guard job.state == .completed else { return ExitStatus.fail(job) }
        if !done.isEmpty { Output.print(done.replacingOccurrences(of: "%@", with: "'\(result.domain)'") + "\n") }
        return ExitStatus.success
    }
}

struct Start: LifecycleCommand {
    static let configuration = CommandConfiguration(abstract: "Start a VM (or restore its saved state).")
    static let action = DomainAction.start
    static let done = "Domain %@ started"
    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions
    @Argument(help: "backend/name, UUID, or an unambiguous name.") var domain: String
}

struct Shutdown: LifecycleCommand {
    static let configuration = CommandConfiguration(abstract: "Ask a VM's guest to shut down.")
    static let action = DomainAction.shutdown
    static let done = "Domain %@ is being shutdown"
    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions
    @Argument(help: "backend/name, UUID, or an unambiguous name.") var domain: String
}

struct Destroy: LifecycleCommand {
    static let configuration = CommandConfiguration(abstract: "Power a VM off at once.")
    static let action = DomainAction.destroy
    static let done = "Domain %@ destroyed"
    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions
    @Argument(help: "backend/name, UUID, or an unambiguous name.") var domain: String
}

struct Reboot: LifecycleCommand {
    static let configuration = CommandConfiguration(abstract: "Ask a VM's guest to reboot.")
    static let action = DomainAction.reboot
    static let done = "Domain %@ is being rebooted"
    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions
    @Argument(help: "backend/name, UUID, or an unambiguous name.") var domain: String
}

struct Reset: LifecycleCommand {
    static let configuration = CommandConfiguration(abstract: "Hard-reset a VM.")
    static let action = DomainAction.reset
    static let done = "Domain %@ was reset"
    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions
    @Argument(help: "backend/name, UUID, or an unambiguous name.") var domain: String
}

struct Suspend: LifecycleCommand {
    static let configuration = CommandConfiguration(abstract: "Pause a VM in memory.")
    static let action = DomainAction.suspend
    static let done = "Domain %@ suspended"
    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions
    @Argument(help: "backend/name, UUID, or an unambiguous name.") var domain: String
}

struct Resume: LifecycleCommand {
    static let configuration = CommandConfiguration(abstract: "Continue a paused VM.")
    static let action = DomainAction.resume
    static let done = "Domain %@ resumed"
    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions
    @Argument(help: "backend/name, UUID, or an unambiguous name.") var domain: String
}

struct Save: LifecycleCommand {
    static let configuration = CommandConfiguration(abstract: "Save a VM's state to disk and stop it (managed save).")
    static let action = DomainAction.save
    static let done = "Domain %@ state saved"
    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions
    @Argument(help: "backend/name, UUID, or an unambiguous name.") var domain: String
}
