import BrokerCore

/// One VM's live load, as `domains.stats` and the CLI's `domstats`/`top` show it: who it is,
/// its size, its CPU time and the backend's measurements, and when they were read.
public struct DomainStatsRecord: Sendable, Equatable, Codable {
    /// The federated name, `backend/name`.
    public var name: String
    /// The backend the figures came through.
    public var backend: String
    /// The hypervisor host.
    public var host: String
    /// The VM's UUID.
    public var uuid: String
    /// The federation's state token.
    public var state: DomainState
    /// The backend's reason for the state, where it gives one.
    public var reason: String?
    /// The hypervisor platform.
    public var platform: String?
    /// Virtual CPUs.
    public var vcpus: Int
    /// Current memory, KiB.
    public var memoryKiB: UInt64
    /// Maximum memory, KiB.
    public var maxMemoryKiB: UInt64
    /// CPU time, nanoseconds: the backend's own, or its utilization integrated (see `DomainStats`).
    public var cpuTimeNs: UInt64?
    /// When the figures were read, seconds since 1970 (rates are differences over this).
    public var sampledAt: Double
    /// The measurements; null where the backend gives none.
    public var stats: DomainStats?

    enum CodingKeys: String, CodingKey {
        case name, backend, host, uuid, state, reason, platform, vcpus, stats
        case memoryKiB = "memory_kib"
        case maxMemoryKiB = "max_memory_kib"
        case cpuTimeNs = "cpu_time_ns"
        case sampledAt = "sampled_at"
    }

    /// Builds a record of the VM named `name` from `domain` as `backend` reported it at `sampledAt`.
    public init(name: String, backend: String, domain: Domain, sampledAt: Double) {
        self.name = name
        self.backend = backend
        host = domain.host
        uuid = domain.uuid
        state = domain.state
        reason = domain.reason
        platform = domain.platform
        vcpus = domain.vcpus
        memoryKiB = domain.memoryKiB
        maxMemoryKiB = domain.maxMemoryKiB
        cpuTimeNs = domain.cpuTimeNs
        self.sampledAt = sampledAt
        stats = domain.stats
    }
}
