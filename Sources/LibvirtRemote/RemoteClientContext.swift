import SocketServer

/// Who is connected, and through which socket.
public struct RemoteClientContext: Sendable {
    /// The peer's pid, uid and gid (`SO_PEERCRED`), when known.
    public var peer: PeerCredentials?
    /// The socket's label (`libvirt-rw`, `libvirt-ro`).
    public var listener: String
    /// Whether the socket refuses procedures that change anything.
    public var readOnly: Bool
    /// A number unique to the connection within the process.
    public var connectionID: Int
}
