import ArgumentParser
import BrokerAPI
import BrokerCore

/// `virtfed job ID`: one job; while it runs, its progress until it ends (Ctrl-C detaches).
struct JobCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "job", abstract: "Show a job, following its progress while it runs (exit 0 completed, 1 failed or cancelled, 3 unknown).")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .customLong("no-wait"), help: "Show the job as it stands and return, even if it is still running.")
    var noWait = false

    @Argument(help: "The job's id (from the action, or 'virtfed jobs').")
    var id: String

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        var job = try await client.job(id)
        if !noWait && !job.state.isFinal {
            guard let ended = try await JobFollower(client: client, json: global.json).follow(job) else { return ExitStatus.detached }
            job = ended
        }
        if global.json {
            Output.json(job)
        } else {
            Output.print(Self.describe(job))
        }
        return job.state.isFinal ? ExitStatus.of(job) : ExitStatus.success
    }

    /// virsh-like `Key: value` lines.
    static func describe(_ job: JobRecord) -> String {
        var lines: [(String, String)] = [
            ("Job", job.id), ("Domain", job.domain), ("Action", job.action.rawValue), ("Route", job.route ?? "-"),
            ("State", job.state.rawValue), ("Done", "\(job.percent)%"), ("Started", job.started), ("Finished", job.finished ?? "-"),
        ]
        if let backendJob = job.backendJobID { lines.append(("Backend job", backendJob)) }
        if let state = job.resultingState { lines.append(("VM state", state.virshWord)) }
        if let message = job.message { lines.append(("Message", message)) }
        if let code = job.code { lines.append(("Code", code)) }
        return lines.map { "\(($0.0 + ":").padding(to: 14)) \($0.1)" }.joined(separator: "\n") + "\n"
    }
}
