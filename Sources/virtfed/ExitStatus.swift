import ArgumentParser
import BrokerAPI
import BrokerCore

/// The CLI's exit codes, decided here and nowhere else.
///
/// - 0: success
/// - 1: error (nothing was done, or the one thing asked failed)
/// - 2: partial result: a listing answered, but one or more backends failed (warnings on stderr)
/// - 3: outcome unknown: a change was sent and no answer says whether it happened (it was not
///   retried; the next listing shows the truth)
/// - 130: detached from a job by Ctrl-C (the job goes on in the daemon)
enum ExitStatus {
    static let success = ExitCode(0)
    static let failure = ExitCode(1)
    static let partial = ExitCode(2)
    static let unknownOutcome = ExitCode(3)
    static let detached = ExitCode(130)

    /// A job's end as an exit code: 0 completed, 3 unknown, 1 failed or cancelled.
    static func of(_ job: JobRecord) -> ExitCode {
        switch job.state {
        case .completed: success
        case .unknown: unknownOutcome
        case .running, .failed, .cancelled: failure
        }
    }

    /// Prints why a job did not complete and gives its exit code.
    static func fail(_ job: JobRecord) -> ExitCode {
        let words = job.message.map { ": \($0)" } ?? ""
        Output.error("job \(job.id) (\(job.action.rawValue) on \(job.domain)\(job.route.map { " via \($0)" } ?? "")) \(job.state.rawValue)\(words)")
        return of(job)
    }

    /// Prints `error: …` to stderr and gives the failure code (3 for an unknown outcome).
    static func fail(_ error: BackendError) -> ExitCode {
        Output.error(error.description)
        return error.code == .outcomeUnknown ? unknownOutcome : failure
    }

    /// Prints one `warning: backend NAME: …` line per failed backend; the code for a listing.
    static func warnings(_ failures: [BackendFailure]) -> ExitCode {
        for failure in failures { Output.warning("backend \(failure.backend): \(failure.message)") }
        return failures.isEmpty ? success : partial
    }
}
