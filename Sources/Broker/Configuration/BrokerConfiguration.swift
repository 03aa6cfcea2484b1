import BrokerCore

/// The whole configuration file: the daemon's settings and the backends, in file order.
public struct BrokerConfiguration: Sendable {
    /// `[daemon]`: where and how the daemon listens. Absent values take the daemon's defaults.
    public struct Daemon: Sendable, Equatable {
        /// The read-write JSON-RPC socket.
        public var socket: String?
        /// The read-only JSON-RPC socket.
        public var readonlySocket: String?
        /// The read-write socket's mode (default 0600).
        public var socketMode: UInt32?
        /// The read-write socket's group (a name or a number).
        public var socketGroup: String?
        /// The read-only socket's mode (default 0666).
        public var readonlySocketMode: UInt32?
        /// The libvirt-protocol socket (read-write; off when absent). Its mode and group are
        /// `socket_mode` and `socket_group`.
        public var libvirtSocket: String?
        /// The read-only libvirt-protocol socket (off when absent; mode `readonly_socket_mode`).
        public var libvirtReadonlySocket: String?
        /// The audit log of mutating calls (JSON lines).
        public var auditLog: String?
        /// Where the daemon keeps its state (`virtfed.db`: the job history and the audit trail).
        public var stateDirectory: String?
        /// The Prometheus endpoint, `host:port` on loopback.
        public var metrics: String?
        /// The largest JSON-RPC message accepted.
        public var maxMessageBytes: Int?
        /// Clients at once, per socket.
        public var maxClients: Int?
        /// Calls in flight per client.
        public var maxInFlight: Int?
        /// Idle clients are disconnected after this many milliseconds.
        public var idleTimeoutMilliseconds: Int?
        /// Events queued per subscriber before it is told some were lost.
        public var eventQueueLimit: Int?

        /// Creates daemon settings.
        public init() {}
    }

    /// The file it was read from (for messages).
    public var file: String
    /// `[daemon]`.
    public var daemon: Daemon
    /// Which route to take when a VM is reachable both directly and through a manager.
    public var preferredRoute: RouteKind
    /// The backends, in file order.
    public var backends: [BackendConfiguration]
    /// `[broker]`'s bounds on refreshes and reconnects.
    public var limits: EngineLimits
    /// `[broker] job_timeout_ms`: how long the daemon follows a backend's job (default 1 h).
    public var jobTimeoutMilliseconds: Int?
    /// `[broker] job_retention`: ended jobs kept (default 1000).
    public var jobRetention: Int?
    /// `[cluster]`, when this daemon is one node of several.
    public var cluster: ClusterConfiguration?
    /// What is allowed but unwise (a password file others can read), located like a problem.
    public var warnings: [ConfigurationError] = []

    /// Creates a configuration.
    public init(file: String = "<memory>", daemon: Daemon = .init(), preferredRoute: RouteKind = .direct,
                limits: EngineLimits = EngineLimits(), backends: [BackendConfiguration]) {
        self.limits = limits
        self.file = file
        self.daemon = daemon
        self.preferredRoute = preferredRoute
        self.backends = backends
    }
}
