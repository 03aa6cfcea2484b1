/// A host's hardware, as virsh's `nodeinfo` shows it.
public struct NodeInfo: Sendable, Equatable, Codable {
    /// The host's name.
    public var hostname: String
    /// The CPU model.
    public var cpuModel: String
    /// Logical CPUs.
    public var cpus: Int
    /// Nominal frequency in MHz.
    public var mhz: Int
    /// CPU sockets per NUMA cell.
    public var sockets: Int
    /// Cores per socket.
    public var coresPerSocket: Int
    /// Threads per core.
    public var threadsPerCore: Int
    /// NUMA cells.
    public var numaCells: Int
    /// Memory in KiB.
    public var memoryKiB: UInt64
    /// The hypervisor type (`QEMU`, `TEST`, `Hyper-V` …).
    public var hypervisor: String
    /// The hypervisor's version, dotted.
    public var hypervisorVersion: String?

    /// Creates a node-info record.
    public init(
        hostname: String, cpuModel: String, cpus: Int, mhz: Int, sockets: Int, coresPerSocket: Int,
        threadsPerCore: Int, numaCells: Int, memoryKiB: UInt64, hypervisor: String, hypervisorVersion: String?
    ) {
        self.hostname = hostname
        self.cpuModel = cpuModel
        self.cpus = cpus
        self.mhz = mhz
        self.sockets = sockets
        self.coresPerSocket = coresPerSocket
        self.threadsPerCore = threadsPerCore
        self.numaCells = numaCells
        self.memoryKiB = memoryKiB
        self.hypervisor = hypervisor
        self.hypervisorVersion = hypervisorVersion
    }

    enum CodingKeys: String, CodingKey {
        case hostname, cpus, mhz, sockets, hypervisor
        case cpuModel = "cpu_model"
        case coresPerSocket = "cores_per_socket"
        case threadsPerCore = "threads_per_core"
        case numaCells = "numa_cells"
        case memoryKiB = "memory_kib"
        case hypervisorVersion = "hypervisor_version"
    }

    /// Every key, `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hostname, forKey: .hostname)
        try container.encode(cpuModel, forKey: .cpuModel)
        try container.encode(cpus, forKey: .cpus)
        try container.encode(mhz, forKey: .mhz)
        try container.encode(sockets, forKey: .sockets)
        try container.encode(coresPerSocket, forKey: .coresPerSocket)
        try container.encode(threadsPerCore, forKey: .threadsPerCore)
        try container.encode(numaCells, forKey: .numaCells)
        try container.encode(memoryKiB, forKey: .memoryKiB)
        try container.encode(hypervisor, forKey: .hypervisor)
        try container.encode(hypervisorVersion, forKey: .hypervisorVersion)
    }
}
