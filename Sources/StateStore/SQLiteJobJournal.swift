import BrokerAPI
import BrokerCore
import Federation
import GRDB

/// The job journal in the state database: one row per job, replaced as it changes.
public struct SQLiteJobJournal: JobJournal {
    private let database: StateDatabase

    /// A journal in `database`.
    public init(_ database: StateDatabase) {
        self.database = database
    }

    public func save(_ job: JobRecord) async throws(BackendError) {
        do {
            try await database.pool.write { db in
                // A job keeps the sequence it was first saved with: the order jobs were asked for.
                let sequence = try Int.fetchOne(db, sql: "SELECT sequence FROM job WHERE id = ?", arguments: [job.id])
                    ?? (try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM job") ?? 1)
                try db.execute(sql: """
                    INSERT OR REPLACE INTO job (id, domain, uuid, route, action, state, percent, message, started, finished,
                                                backendJobID, resultingState, code, sequence)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [job.id, job.domain, job.uuid, job.route, job.action.rawValue, job.state.rawValue, job.percent, job.message,
                                     job.started, job.finished, job.backendJobID, job.resultingState?.rawValue, job.code, sequence])
            }
        } catch {
            throw BackendError(.internal, "cannot save job \(job.id): \(StateDatabase.describe(error))")
        }
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

    public func trim(keepingEnded count: Int) async throws(BackendError) {
        do {
            try await database.pool.write { db in
                try db.execute(sql: """
                    DELETE FROM job WHERE state != 'running' AND sequence NOT IN
                        (SELECT sequence FROM job WHERE state != 'running' ORDER BY sequence DESC LIMIT ?)
                    """, arguments: [count])
            }
        } catch {
            throw BackendError(.internal, "cannot trim the job journal: \(StateDatabase.describe(error))")
        }
    }

    private static func record(_ row: Row) -> JobRecord? {
        guard let action = DomainAction(rawValue: row["action"]), let state = JobRecord.State(rawValue: row["state"]) else { return nil }
        return JobRecord(id: row["id"], domain: row["domain"], uuid: row["uuid"], route: row["route"], action: action, state: state, percent: row["percent"],
                         message: row["message"], started: row["started"], finished: row["finished"], backendJobID: row["backendJobID"],
                         resultingState: (row["resultingState"] as String?).flatMap(DomainState.init(rawValue:)), code: row["code"])
    }
}
