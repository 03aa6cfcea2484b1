import BrokerCore
import Foundation
import GRDB

/// The daemon's SQLite database (`state_dir/virtfed.db`): WAL mode, every commit synced
/// (`synchronous = FULL`, set on the writer once the pool is open: GRDB's pool starts it at
/// NORMAL), the schema migrated at open. GRDB runs every statement on its own queue, off the
/// cooperative pool. Holds the job journal and the audit trail.
public final class StateDatabase: Sendable {
    /// The connection pool (one writer, concurrent readers).
    let pool: DatabasePool
    /// The file.
    public let path: String

    /// Opens (or creates, mode 0600: SQLite gives its WAL and shared-memory files the same) the
    /// database at `path`.
    public init(path: String) throws(BackendError) {
        self.path = path
        let created = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard created >= 0 else {
            throw BackendError(.internal, "cannot open the state database \(path): \(String(cString: strerror(errno)))")
        }
        close(created)
        var configuration = Configuration()
        configuration.label = "virtfed-state"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(pool)
        } catch {
            throw BackendError(.internal, "cannot open the state database \(path): \(Self.describe(error))")
        }
    }

    /// Runs `body` in one transaction, synced to disk when it returns.
    func write(_ body: @escaping @Sendable (Database) throws -> Void) async throws {
        try await pool.write { db in try body(db) }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs and audit") { db in
            try db.create(table: "job") { table in
                table.primaryKey("id", .text)
                table.column("domain", .text).notNull()
                table.column("uuid", .text)
                table.column("route", .text)
                table.column("action", .text).notNull()
                table.column("state", .text).notNull().indexed()
                table.column("percent", .integer).notNull()
                table.column("message", .text)
                table.column("started", .text).notNull()
                table.column("finished", .text)
                table.column("backendJobID", .text)
                table.column("resultingState", .text)
                table.column("code", .text)
                table.column("sequence", .integer).notNull().indexed()
            }
            try db.create(table: "audit") { table in
                // The rowid (no AUTOINCREMENT: audit rows are never deleted, and each insert
                // then writes one page, not two).
                table.primaryKey("sequence", .integer)
                table.column("time", .text).notNull()
                table.column("pid", .integer)
                table.column("uid", .integer)
                table.column("gid", .integer)
                table.column("listener", .text).notNull()
                table.column("method", .text).notNull()
                table.column("domain", .text)
                table.column("route", .text)
                table.column("result", .text).notNull()
                table.column("code", .text)
                table.column("message", .text)
            }
        }
        return migrator
    }

    /// A database error in words (SQLite's message and code), for `internal` errors.
    static func describe(_ error: any Error) -> String {
        if let database = error as? DatabaseError {
            return "\(database.message ?? "SQLite error") (SQLite code \(database.resultCode.rawValue))"
        }
        return "\(error)"
    }
}
