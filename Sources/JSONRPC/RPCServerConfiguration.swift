import NIOCore
import SocketServer

/// One listening socket and its limits.
public struct RPCServerConfiguration: Sendable {
    /// Where it listens: a Unix socket file with its mode (0600 read-write, 0666 read-only by
    /// default) and its group, or a socket systemd passed.
    public var endpoint: ListenEndpoint
    /// A name for logs and for handlers (`rw`, `ro`).
    public var label: String
    /// Whether handlers must refuse methods that change anything.
    public var readOnly: Bool
    /// The largest message accepted; past it the client gets an error and is disconnected.
    public var maxMessageBytes: Int
    /// Connections at once; past it a new client gets an error and is disconnected.
    public var maxClients: Int
    /// Calls one client may have running at once; further lines wait unread.
    public var maxInFlightPerClient: Int
    /// A client with nothing running and nothing said for this long is disconnected.
    public var idleTimeout: TimeAmount?
    /// How long a graceful shutdown waits for calls in flight.
    public var drainTimeout: TimeAmount

    /// Creates a configuration with the defaults.
    public init(
        path: String, label: String, readOnly: Bool = false, mode: UInt32 = 0o600, group: UInt32? = nil,
        maxMessageBytes: Int = 1 << 20, maxClients: Int = 256, maxInFlightPerClient: Int = 32,
        idleTimeout: TimeAmount? = .seconds(600), drainTimeout: TimeAmount = .seconds(10)
    ) {
        endpoint = .unixSocket(UnixSocketFile(path: path, mode: mode, group: group))
        self.label = label
        self.readOnly = readOnly
        self.maxMessageBytes = maxMessageBytes
        self.maxClients = maxClients
        self.maxInFlightPerClient = maxInFlightPerClient
        self.idleTimeout = idleTimeout
        self.drainTimeout = drainTimeout
    }
}
