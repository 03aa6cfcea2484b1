import SocketServer

/// One libvirt-protocol socket and its limits.
public struct RemoteServerConfiguration: Sendable {
    /// Where it listens: a Unix socket file with its mode and group, or a socket systemd passed.
    public var endpoint: ListenEndpoint
    /// A name for logs and for drivers.
    public var label: String
    /// Whether procedures that change anything are refused.
    public var readOnly: Bool
    /// The largest packet (libvirt's own limit, 16 MiB); past it the client gets an error and is closed.
    public var maxMessageBytes: Int
    /// Connections at once; past it a new client is closed at once.
    public var maxClients: Int
    /// Calls a client may have queued; at it the server stops reading from that client until
    /// answers have been written.
    public var maxQueuedCalls: Int

    /// Creates a configuration with the defaults.
    public init(path: String, label: String, readOnly: Bool = false, mode: UInt32 = 0o600, group: UInt32? = nil,
                maxMessageBytes: Int = RemoteLimits.messageMax, maxClients: Int = 256, maxQueuedCalls: Int = 64) {
        endpoint = .unixSocket(UnixSocketFile(path: path, mode: mode, group: group))
        self.label = label
        self.readOnly = readOnly
        self.maxMessageBytes = maxMessageBytes
        self.maxClients = maxClients
        self.maxQueuedCalls = maxQueuedCalls
    }
}
