import ArgumentParser
import BrokerAPI
import BrokerCore

/// `virtfed job-cancel ID`: asks the job's backend to cancel it (Hyper-V, SCVMM; libvirt acts
/// at once and has nothing to cancel). Exit 0 once cancelled, 1 if it ended otherwise.
struct JobCancel: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "job-cancel", abstract: "Cancel a running job.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The job's id.")
    var id: String

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let job = try await client.cancelJob(id)
        if global.json {
            Output.json(job)
        } else if job.state == .cancelled {
            Output.print("Job \(job.id) cancelled (\(job.action.rawValue) on \(job.domain))\n")
        } else if job.state == .running {
            Output.print("Job \(job.id): the cancel was sent to \(job.route ?? "its backend"); the job is still running\n")
        } else {
            return ExitStatus.fail(job)
        }
        return job.state == .cancelled || job.state == .running ? ExitStatus.success : ExitStatus.failure
    }
}
