/// One snapshot of a VM (Hyper-V and SCVMM call it a checkpoint), as its backend keeps it.
public struct DomainSnapshot: Sendable, Equatable, Codable {
    /// Its name, unique among the VM's snapshots where the backend says so (libvirt); Hyper-V
    /// and SCVMM allow two of one name, and then the newest is the one a name refers to.
    public var name: String
    /// Its description.
    public var description: String?
    /// The snapshot it was taken on top of; nil for a root.
    public var parent: String?
    /// When it was taken (seconds since the epoch), when known.
    public var creationTime: Int64?
    /// The VM's state when it was taken, when known.
    public var state: DomainState?
    /// Whether the VM runs on top of it now (libvirt's current snapshot; Hyper-V's parent of
    /// the running configuration; SCVMM's last restored or newest checkpoint).
    public var isCurrent: Bool
    /// The backend's own id for it (a Hyper-V settings InstanceID, an SCVMM checkpoint ID).
    public var id: String?

    /// Creates a snapshot record.
    public init(name: String, description: String? = nil, parent: String? = nil, creationTime: Int64? = nil,
                state: DomainState? = nil, isCurrent: Bool = false, id: String? = nil) {
        self.name = name
        self.description = description
        self.parent = parent
        self.creationTime = creationTime
        self.state = state
        self.isCurrent = isCurrent
        self.id = id
    }

    enum CodingKeys: String, CodingKey {
        case name, description, parent, state, id
        case creationTime = "creation_time"
        case isCurrent = "current"
    }
}
