import BrokerAPI
import BrokerCore
import Logging

extension BatchWriter where Item == JobRecord {
    /// A job journal's writer: changes gathered for 20 ms and handed to `write` in one go, with
    /// the retention to trim to once a tenth of `retention` jobs have ended since the last trim
    /// (else nil); a batch that could not be kept after the writer's retries is logged (the jobs go on).
    static func journal(retention: Int, logger: Logger,
                        write: @escaping @Sendable ([JobRecord], _ trimTo: Int?) async throws(BackendError) -> Void) -> BatchWriter<JobRecord> {
        let trimEvery = max(1, retention / 10)
        let endedSinceTrim = EndedCount()
        return BatchWriter(window: .milliseconds(20)) { jobs throws(BackendError) in
            let trim = endedSinceTrim.add(jobs.count { $0.state.isFinal }, every: trimEvery)
            try await write(jobs, trim ? retention : nil)
        } dropped: { jobs, error in
            logger.error("job journal: not kept", metadata: ["jobs": "\(jobs.map(\.id))", "error": "\(error.message)"])
        }
    }
}

/// Ended jobs counted between trims (touched by a journal's one writer task only).
private final class EndedCount: @unchecked Sendable {
    private var count = 0

    /// Adds `ended`; true (and back to zero) once `every` have ended.
    func add(_ ended: Int, every: Int) -> Bool {
        count += ended
        guard count >= every else { return false }
        count = 0
        return true
    }
}
