/// Who is asking, and through which door: what the read-only policy and the audit trail need
/// to know about a call. Each door builds one from its own connection.
public struct Caller: Sendable {
    /// The door's label (`rw`, `ro`, `libvirt-rw`, `cli` …), kept in the audit trail.
    public var door: String
    /// The peer process, where the door knows it (`SO_PEERCRED`).
    public var peer: PeerProcess?
    /// Whether this caller may only read.
    public var readOnly: Bool
    /// The door's own words for a read-only refusal of `operation`.
    public var refusal: @Sendable (_ operation: String) -> String
    /// In a cluster, the node that handed this call over (it is run here, never handed on).
    public var forwardedFrom: String?

    /// Creates a caller; by default a refusal says the operation "is refused on the read-only socket".
    public init(door: String, peer: PeerProcess? = nil, readOnly: Bool = false,
                refusal: @escaping @Sendable (_ operation: String) -> String = { "\($0) is refused on the read-only socket" }) {
        self.door = door
        self.peer = peer
        self.readOnly = readOnly
        self.refusal = refusal
    }
}

/// A local peer process, as `SO_PEERCRED` gives it.
public typealias PeerProcess = (pid: Int32, uid: UInt32, gid: UInt32)
