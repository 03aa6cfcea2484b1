/// Where a `ListeningServer` listens.
public enum ListenEndpoint: Sendable {
    /// A Unix socket file, published with its mode and group, removed at shutdown.
    case unixSocket(UnixSocketFile)
    /// A TCP address (`SO_REUSEADDR` set); port 0 asks for any free port.
    case tcp(host: String, port: Int)
    /// A socket already bound and listening, passed by the service manager under `name`
    /// (socket activation). Its file belongs to the socket unit: it stays at shutdown.
    case activated(descriptor: Int32, name: String)
}
