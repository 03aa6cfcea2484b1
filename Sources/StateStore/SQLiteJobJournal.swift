import BrokerAPI
import BrokerCore
import Federation
import GRDB
import Logging

/// The job journal in the state database: one row per job, replaced as it changes. Changes
/// are gathered for 20 ms and written in one transaction (a libvirt action's start and end are
/// one write; under load many actions share one) and synced; a write that fails (a full disk)
/// is logged, and a restarted daemon asks the backends about the jobs it kept. Once a tenth of `retention` jobs have ended since the last trim,
/// the oldest ended jobs beyond `retention` go in the same transaction.
public final class SQLiteJobJournal: JobJournal {
    private let database: StateDatabase
    private let writer: BatchWriter<JobRecord>

    /// A journal in `database`, keeping `retention` ended jobs (and at most a tenth more).
    public init(_ database: StateDatabase, retention: Int, logger: Logger) {
        self.database = database
        writer = .journal(retention: retention, logger: logger) { jobs, trimTo throws(BackendError) in
            try await Self.write(jobs, trimTo: trimTo, in: database)
        }
    }

    public func save(_ job: JobRecord) {
        writer.append(job)
    }

    /// Writes the queued changes now (at shutdown).
    public func flush() async {
        await writer.flush()
    }

    public func load() async throws(BackendError) -> [JobRecord] {
        do {
            return try await database.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM job ORDER BY sequence").compactMap(Self.record)
            }
        } catch {
            throw BackendError(.internal, "cannot read the job journal: \(StateDatabase.describe(error))")
        }
    }

    /// One transaction: the jobs, then the trim.
    static func write(_ jobs: [JobRecord], trimTo retention: Int?, in database: StateDatabase) async throws(BackendError) {
        do {
            try await database.write { db in
                for job in jobs {
                    // A job keeps the sequence it was first saved with: the order jobs were asked for.
                    let sequence = try Int.fetchOne(db, sql: "SELECT sequence FROM job WHERE id = ?", arguments: [job.id])
                        ?? (try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM job") ?? 1)
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO job (id, domain, uuid, route, action, state, percent, message, started, finished,
                                                    backendJobID, resultingState, code, sequence)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [job.id, job.domain, job.uuid, job.route, job.action.rawValue, job.state.rawValue, job.percent,
                                         job.message, job.started, job.finished, job.backendJobID, job.resultingState?.rawValue, job.code,
                                         sequence])
                }
                if let retention {
                    // The newest `retention` ended jobs stay: everything ended before the oldest of them goes.
                    try db.execute(sql: """
                        DELETE FROM job WHERE state != 'running' AND sequence <
                            (SELECT sequence FROM job WHERE state != 'running' ORDER BY sequence DESC LIMIT 1 OFFSET ?)
                        """, arguments: [retention - 1])
                }
            }
        } catch {
            throw BackendError(.internal, "cannot save \(jobs.count) job(s): \(StateDatabase.describe(error))")
        }
    }

    private static func record(_ row: Row) -> JobRecord? {
        guard let action = DomainOperation(rawValue: row["action"]), let state = JobRecord.State(rawValue: row["state"]) else { return nil }
        return JobRecord(id: row["id"], domain: row["domain"], uuid: row["uuid"], route: row["route"], action: action, state: state,
                         percent: row["percent"], message: row["message"], started: row["started"], finished: row["finished"],
                         backendJobID: row["backendJobID"], resultingState: (row["resultingState"] as String?).flatMap(DomainState.init(rawValue:)),
                         code: row["code"])
    }
}
