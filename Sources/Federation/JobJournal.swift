import BrokerAPI
import BrokerCore

/// Where jobs are kept across daemon restarts (`StateStore`'s SQLite journal in the daemon;
/// none in the CLI's embedded mode, where jobs live as long as the command).
public protocol JobJournal: Sendable {
    /// Queues the job as it stands now, to be written (inserted or replaced) shortly, in the
    /// order given; never waits for the disk.
    func save(_ job: JobRecord)
    /// Every job kept, oldest first (what was queued before is written first).
    func load() async throws(BackendError) -> [JobRecord]
}
