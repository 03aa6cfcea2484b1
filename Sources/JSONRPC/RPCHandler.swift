import SocketServer

/// What a JSON-RPC server serves. It knows nothing of sockets; the server knows nothing of
/// what the methods do.
public protocol RPCHandler: Sendable {
    /// Answers a call; the result is encoded as the response's `result`.
    func handle(_ request: RPCRequest, context: RPCContext) async throws(RPCError) -> any Encodable & Sendable

    /// Answers a call at once, on the connection's event loop, without a thread hop; nil when
    /// the method needs `handle`. For cheap methods that touch no I/O (`ping`, `version`).
    func handleInline(_ request: RPCRequest, context: RPCContext) -> Result<any Encodable & Sendable, RPCError>?
}

extension RPCHandler {
    public func handleInline(_ request: RPCRequest, context: RPCContext) -> Result<any Encodable & Sendable, RPCError>? { nil }
}

/// Who is calling, and through which door.
public struct RPCContext: Sendable {
    /// The peer's credentials from `SO_PEERCRED`, when the socket gives them.
    public var peer: PeerCredentials?
    /// The server's label (e.g. `rw`, `ro`), so one handler can serve several sockets.
    public var listener: String
    /// Whether this door only allows methods that change nothing.
    public var readOnly: Bool
    /// A number unique to the connection within the process.
    public var connectionID: Int
    /// Sends notifications to this client (nil outside a live connection).
    public var notifier: RPCNotifier?

    /// Creates a context.
    public init(peer: PeerCredentials?, listener: String, readOnly: Bool, connectionID: Int, notifier: RPCNotifier? = nil) {
        self.notifier = notifier
        self.peer = peer
        self.listener = listener
        self.readOnly = readOnly
        self.connectionID = connectionID
    }
}
