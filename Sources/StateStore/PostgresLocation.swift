import BrokerCore
import Foundation

/// Where the PostgreSQL store is: `postgresql://USER@HOST:PORT/DATABASE` over TCP, or with
/// `?host=/run/postgresql` (a directory, as libpq takes it) over the Unix socket
/// `DIR/.s.PGSQL.PORT` (`&port=` says which). The password comes from the configuration (`password_file`/`password_env`),
/// never from the URL; a URL with one is refused, so that it cannot end up in a log.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// The role.
    public var user: String
    /// The database.
    public var database: String
    /// A TCP host, or nil for the Unix socket.
    public var host: String?
    /// The port (also the socket file's suffix).
    public var port: Int
    /// The socket directory when `host` is nil.
    public var socketDirectory: String?

    /// Reads `url`; `invalid_argument` saying what is wrong.
    public init(url: String) throws(BackendError) {
        guard let components = URLComponents(string: url), ["postgresql", "postgres"].contains(components.scheme ?? "") else {
            throw BackendError(.invalidArgument, "the store must be a postgresql:// URL")
        }
        guard components.password == nil else {
            throw BackendError(.invalidArgument, "the store URL has a password: give it with password_file or password_env instead")
        }
        guard let user = components.user, !user.isEmpty else { throw BackendError(.invalidArgument, "the store URL names no user (postgresql://USER@…)") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw BackendError(.invalidArgument, "the store URL names no database (…/DATABASE)") }
        self.user = user
        self.database = database
        port = components.port ?? components.queryItems?.first { $0.name == "port" }?.value.flatMap { Int($0) } ?? 5432
        let socket = components.queryItems?.first { $0.name == "host" }?.value
        if let socket, socket.hasPrefix("/") {
            host = nil
            socketDirectory = socket
        } else if let name = components.host, !name.isEmpty {
            host = name
            socketDirectory = nil
        } else {
            throw BackendError(.invalidArgument, "the store URL names no host (postgresql://USER@HOST/… or ?host=/socket/directory)")
        }
    }

    /// The socket file, for a Unix-socket location.
    public var socketPath: String? { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } }

    /// The URL without secrets, for status and logs.
    public var description: String {
        if let socketDirectory { return "postgresql://\(user)@/\(database)?host=\(socketDirectory)&port=\(port)" }
        return "postgresql://\(user)@\(host ?? ""):\(port)/\(database)"
    }
}
