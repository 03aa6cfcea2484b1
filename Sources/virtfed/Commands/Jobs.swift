import ArgumentParser
import BrokerAPI
import BrokerCore

/// `virtfed jobs [--all]`: the daemon's jobs, running ones unless `--all`.
struct Jobs: ClientCommand {
    static let configuration = CommandConfiguration(abstract: "List the daemon's jobs (running ones unless --all).")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Include jobs that have ended (the daemon keeps the latest, per job_retention).")
    var all = false

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let jobs = try await client.jobs(all: all)
        if global.json {
            Output.json(jobs)
            return ExitStatus.success
        }
        var table = Table("Job", "Domain", "Action", "Route", "State", "Done", "Started", "Message")
        for job in jobs {
            table.add(job.id, job.domain, job.action.rawValue, job.route ?? "-", job.state.rawValue, "\(job.percent)%", job.started, job.message ?? "")
        }
        Output.print(table.rendered)
        return ExitStatus.success
    }
}
