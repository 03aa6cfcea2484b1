import BrokerCore
import Federation
import GRDB
import Logging

/// The audit trail in the state database: one row per record. The record of a change about
/// to be sent (`sending`) is committed and synced before `record` returns — one that cannot be
/// (a full disk) throws, and the service refuses the change. The others (outcomes, refusals)
/// are queued and committed within 20 ms, in order, many in one synced transaction: no caller
/// waits for a second write. An outcome that cannot be written is logged.
public final class SQLiteAuditTrail: AuditTrail {
    private let database: StateDatabase
    private let writer: BatchWriter<AuditEntry>

    /// A trail in `database`.
    public init(_ database: StateDatabase, logger: Logger) {
        self.database = database
        writer = BatchWriter(window: .milliseconds(20)) { entries throws(BackendError) in
            try await Self.insert(entries, into: database)
        } dropped: { entries, error in
            logger.error("audit trail: records not kept", metadata: ["count": "\(entries.count)", "error": "\(error.message)"])
        }
    }

    public func record(_ entry: AuditEntry) async throws(BackendError) {
        if entry.result == "sending" {
            try await Self.insert([entry], into: database)
        } else {
            writer.append(entry)
        }
    }

    /// Writes the queued records now (at shutdown).
    public func flush() async {
        await writer.flush()
    }

    private static func insert(_ entries: [AuditEntry], into database: StateDatabase) async throws(BackendError) {
        do {
            try await database.write { db in
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO audit (time, pid, uid, gid, listener, method, domain, route, result, code, message)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for entry in entries {
                    try insert.execute(arguments: [entry.time, entry.peer.map { Int($0.pid) }, entry.peer.map { Int($0.uid) },
                                                   entry.peer.map { Int($0.gid) }, entry.listener, entry.method, entry.domain, entry.route,
                                                   entry.result, entry.code, entry.message])
                }
            }
        } catch {
            throw BackendError(.internal, "cannot write the audit trail in \(database.path): \(StateDatabase.describe(error))")
        }
    }
}
