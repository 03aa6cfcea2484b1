/// Where a `ListeningServer` listens.
public enum ListenEndpoint: Sendable {
    /// A Unix socket file, published with its mode and group, removed at shutdown.
    case unixSocket(UnixSocketFile)
    /// A TCP address (`SO_REUSEADDR` set); port 0 asks for any free port.
    case tcp(host: String, port: Int)
}
