import BrokerAPI
import BrokerCore

/// Where jobs are kept across daemon restarts (`StateStore`'s SQLite journal in the daemon;
/// none in the CLI's embedded mode, where jobs live as long as the command).
public protocol JobJournal: Sendable {
    /// Writes the job as it stands now (inserted or replaced).
    func save(_ job: JobRecord) async throws(BackendError)
    /// Every job kept, oldest first.
    func load() async throws(BackendError) -> [JobRecord]
    /// Deletes the oldest ended jobs beyond `count`.
    func trim(keepingEnded count: Int) async throws(BackendError)
}
