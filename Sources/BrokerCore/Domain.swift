/// One VM as a backend reports it. Names here are the backend's own; the broker builds the
/// federated name (`backend/name`) and the routes.
public struct Domain: Sendable, Equatable, Codable {
    /// The backend's name for the VM.
    public var name: String
    /// The VM's identity: libvirt UUID = Hyper-V `Name` = SCVMM `VMId`, lowercased.
    public var uuid: String
    /// The hypervisor's id while the VM runs; nil when inactive.
    public var id: Int?
    /// The federation's state token.
    public var state: DomainState
    /// The backend's raw state, kept verbatim (e.g. `1`, `EnabledState=32768`, `PowerOff`).
    public var backendState: String
    /// Why it is in that state, where the backend says (libvirt's reason, e.g. `booted`).
    public var reason: String?
    /// The hypervisor host the VM lives on.
    public var host: String
    /// The hypervisor platform (`test`, `qemu`, `Hyper-V`, `VMware ESX`, …).
    public var platform: String?
    /// Virtual CPUs.
    public var vcpus: Int
    /// Current memory in KiB.
    public var memoryKiB: UInt64
    /// Maximum memory in KiB.
    public var maxMemoryKiB: UInt64
    /// CPU time used, in nanoseconds, where the backend reports it.
    public var cpuTimeNs: UInt64?
    /// Whether the VM has a persistent definition.
    public var persistent: Bool?
    /// Whether it starts with its host.
    public var autostart: Bool?
    /// Whether it has a managed-save image.
    public var managedSave: Bool?
    /// A secondary identity for matching across routes (BIOS GUID), lowercased.
    public var biosGuid: String?
    /// Live load and devices, in a full listing where the backend measures them.
    public var stats: DomainStats?

    /// Creates a domain record.
    public init(
        name: String, uuid: String, id: Int? = nil, state: DomainState, backendState: String,
        reason: String? = nil, host: String, platform: String? = nil, vcpus: Int = 0,
        memoryKiB: UInt64 = 0, maxMemoryKiB: UInt64 = 0, cpuTimeNs: UInt64? = nil,
        persistent: Bool? = nil, autostart: Bool? = nil, managedSave: Bool? = nil, biosGuid: String? = nil,
        stats: DomainStats? = nil
    ) {
        self.name = name
        self.uuid = uuid.lowercased()
        self.id = id
        self.state = state
        self.backendState = backendState
        self.reason = reason
        self.host = host
        self.platform = platform
        self.vcpus = vcpus
        self.memoryKiB = memoryKiB
        self.maxMemoryKiB = maxMemoryKiB
        self.cpuTimeNs = cpuTimeNs
        self.persistent = persistent
        self.autostart = autostart
        self.managedSave = managedSave
        self.biosGuid = biosGuid?.lowercased()
        self.stats = stats
    }
}

extension Domain {
    /// The VM without what moves while it merely runs (CPU time, device counters): two
    /// readings equal in this are the same VM in the same state and settings.
    public var withoutCounters: Domain {
        var settled = self
        settled.cpuTimeNs = nil
        settled.stats = nil
        return settled
    }
}
