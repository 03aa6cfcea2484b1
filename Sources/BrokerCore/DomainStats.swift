/// A VM's live load, as its backend measures it. Every figure is optional: a backend reports
/// what it has, and `source` says where the figures came from. Counters are monotonic totals
/// while the VM runs (they restart with it); where a backend gives only a rate, its plugin
/// integrates the rate into such a total (see `RateIntegrator`) and says so in `source`.
public struct DomainStats: Sendable, Equatable, Codable {
    /// CPU use as a percentage of the VM's vCPUs over the backend's last sample (0–100), where
    /// the backend gives it (Hyper-V `ProcessorLoad`, SCVMM `PerfCPUUtilization`).
    public var cpuUtilization: Double?
    /// Memory the guest is using, in KiB (libvirt balloon `rss`/`available − unused`, Hyper-V
    /// `MemoryUsage`, SCVMM `PerfMemory`).
    public var memoryUsedKiB: UInt64?
    /// Memory the guest sees as available, in KiB (libvirt balloon `available`).
    public var memoryAvailableKiB: UInt64?
    /// Memory left unused by the guest, in KiB (libvirt balloon `unused`).
    public var memoryUnusedKiB: UInt64?
    /// Seconds since the VM started (Hyper-V `UpTime`).
    public var uptimeSeconds: UInt64?
    /// Virtual disks, with their I/O counters where measured.
    public var disks: [DomainDisk]
    /// Network interfaces, with their traffic counters where measured.
    public var interfaces: [DomainInterface]
    /// Where the figures came from (`virConnectGetAllDomainStats`, `GetSummaryInformation`, …).
    public var source: String

    enum CodingKeys: String, CodingKey {
        case disks, interfaces, source
        case cpuUtilization = "cpu_utilization"
        case memoryUsedKiB = "memory_used_kib"
        case memoryAvailableKiB = "memory_available_kib"
        case memoryUnusedKiB = "memory_unused_kib"
        case uptimeSeconds = "uptime_seconds"
    }

    /// Creates a record.
    public init(
        cpuUtilization: Double? = nil, memoryUsedKiB: UInt64? = nil, memoryAvailableKiB: UInt64? = nil,
        memoryUnusedKiB: UInt64? = nil, uptimeSeconds: UInt64? = nil, disks: [DomainDisk] = [],
        interfaces: [DomainInterface] = [], source: String
    ) {
        self.cpuUtilization = cpuUtilization
        self.memoryUsedKiB = memoryUsedKiB
        self.memoryAvailableKiB = memoryAvailableKiB
        self.memoryUnusedKiB = memoryUnusedKiB
        self.uptimeSeconds = uptimeSeconds
        self.disks = disks
        self.interfaces = interfaces
        self.source = source
    }
}
