import BlockingWork
import BrokerCore
import Logging
import PostgresNIO

/// The PostgreSQL store of a cluster: one connection pool (PostgresNIO's client, run by
/// `run()`), the schema brought up to date at start under an advisory lock so that nodes
/// starting together migrate once, and the queries of the audit trail, the job journal and
/// the cluster's membership and leases.
public final class PostgresStore: Sendable {
    /// Where it is.
    public let location: PostgresLocation
    /// The pool.
    public let client: PostgresClient
    /// Where the pool and the queries log.
    public let logger: Logger

    /// A store at `location`; nothing is dialled until `run()` and the first query.
    public init(location: PostgresLocation, password: String?, logger: Logger) {
        self.location = location
        self.logger = logger
        var configuration: PostgresClient.Configuration
        if let socket = location.socketPath {
            configuration = .init(unixSocketPath: socket, username: location.user, password: password, database: location.database)
        } else {
            configuration = .init(host: location.host ?? "127.0.0.1", port: location.port, username: location.user, password: password,
                                  database: location.database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(3)
        configuration.options.maximumConnections = 8
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Runs the pool until the task is cancelled.
    public func run() async {
        await client.run()
    }

    /// Brings the schema to `StoreSchema.migrations.count`, each migration once, in one
    /// transaction under an advisory lock; `backend_unavailable` when the store cannot be reached.
    public func migrate() async throws(BackendError) {
        try await store("bring the schema up to date") { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(StoreSchema.lockKey))", logger: logger)
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS virtfed_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                    logger: logger)
                var current = 0
                for try await version in try await connection.query("SELECT COALESCE(MAX(version), 0) FROM virtfed_schema", logger: logger)
                    .decode(Int.self) { current = version }
                for (index, statements) in StoreSchema.migrations.enumerated() where index + 1 > current {
                    for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                    try await connection.query("INSERT INTO virtfed_schema (version) VALUES (\(index + 1))", logger: logger)
                }
            }
        }
    }

    /// How long one exchange with the store may take before it counts as failed.
    public static let deadline: Duration = .seconds(5)

    /// Runs `body` within `deadline`, mapping any failure to `backend_unavailable` ("the store
    /// cannot …") without the server's connection details beyond the location: a store that
    /// is gone or hangs costs a caller at most the deadline — the caller does not wait for a
    /// query that ignores its cancellation (one waiting for a connection from the pool).
    public func store<T: Sendable>(_ what: String, _ body: @escaping @Sendable () async throws -> T) async throws(BackendError) -> T {
        do {
            return try await withDeadline(milliseconds: Self.deadline.inMilliseconds, onTimeout: {
                BackendError(.backendUnavailable, "no answer within \(Self.deadline)")
            }, body)
        } catch let error as BackendError {
            throw BackendError(.backendUnavailable, "the store (\(location)) cannot \(what): \(error.message)")
        } catch let error as PSQLError {
            throw BackendError(.backendUnavailable, "the store (\(location)) cannot \(what): \(Self.describe(error))")
        } catch {
            throw BackendError(.backendUnavailable, "the store (\(location)) cannot \(what): \(error)")
        }
    }

    /// A server's message, or the kind of failure, never the query's values.
    static func describe(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] { return message }
        return "\(error.code)"
    }
}
