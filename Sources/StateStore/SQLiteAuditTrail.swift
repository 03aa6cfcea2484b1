import BrokerCore
import Federation
import GRDB

/// The audit trail in the state database: one row per record, committed and synced before
/// `record` returns — a record that cannot be committed (a full disk) throws, and the service
/// then refuses the change it was about.
public struct SQLiteAuditTrail: AuditTrail {
    private let database: StateDatabase

    /// A trail in `database`.
    public init(_ database: StateDatabase) {
        self.database = database
    }

    public func record(_ entry: AuditEntry) async throws(BackendError) {
        do {
            try await database.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO audit (time, pid, uid, gid, listener, method, domain, route, result, code, message)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [entry.time, entry.peer.map { Int($0.pid) }, entry.peer.map { Int($0.uid) }, entry.peer.map { Int($0.gid) },
                                     entry.listener, entry.method, entry.domain, entry.route, entry.result, entry.code, entry.message])
            }
        } catch {
            throw BackendError(.internal, "cannot write the audit trail in \(database.path): \(StateDatabase.describe(error))")
        }
    }
}
