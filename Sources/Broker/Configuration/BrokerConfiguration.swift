import BrokerCore

/// The whole configuration file: the daemon's settings and the backends, in file order.
public struct BrokerConfiguration: Sendable {
    /// `[daemon]`: where the daemon listens.
    public struct Daemon: Sendable {
        /// The read-write JSON-RPC socket.
        public var socket: String?
        /// The read-only JSON-RPC socket.
        public var readonlySocket: String?
        /// The Prometheus endpoint, `host:port` on loopback.
        public var metrics: String?

        /// Creates daemon settings.
        public init(socket: String? = nil, readonlySocket: String? = nil, metrics: String? = nil) {
            self.socket = socket
            self.readonlySocket = readonlySocket
            self.metrics = metrics
        }
    }

    /// The file it was read from (for messages).
    public var file: String
    /// `[daemon]`.
    public var daemon: Daemon
    /// Which route to take when a VM is reachable both directly and through a manager.
    public var preferredRoute: RouteKind
    /// The backends, in file order.
    public var backends: [BackendConfiguration]

    /// Creates a configuration.
    public init(file: String = "<memory>", daemon: Daemon = .init(), preferredRoute: RouteKind = .direct, backends: [BackendConfiguration]) {
        self.file = file
        self.daemon = daemon
        self.preferredRoute = preferredRoute
        self.backends = backends
    }
}
