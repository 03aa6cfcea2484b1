import NIOCore

/// What a libvirt remote-protocol server serves: it knows nothing of sockets, and the server
/// knows nothing of what the procedures do. One `RemoteClient` per connection, like a
/// libvirt connection object.
public protocol RemoteDriver: Sendable {
    /// A new connection has been accepted; `events` pushes MESSAGE packets to it.
    func connect(_ context: RemoteClientContext, events: RemoteEventSink) -> any RemoteClient
}

/// One connection's procedures. Calls arrive one at a time, in order.
public protocol RemoteClient: Sendable {
    /// Answers a CALL of the remote program: the XDR return payload, or an error.
    func call(procedure: Int32, arguments: XDRReader) async -> Result<ByteBuffer, RemoteError>
    /// The connection is gone (events must stop).
    func disconnected() async
}

/// Who is connected, and through which socket.
public struct RemoteClientContext: Sendable {
    /// The peer's pid, uid and gid (`SO_PEERCRED`), when known.
    public var peer: (pid: Int32, uid: UInt32, gid: UInt32)?
    /// The socket's label (`libvirt-rw`, `libvirt-ro`).
    public var listener: String
    /// Whether the socket refuses procedures that change anything.
    public var readOnly: Bool
    /// A number unique to the connection within the process.
    public var connectionID: Int
}
