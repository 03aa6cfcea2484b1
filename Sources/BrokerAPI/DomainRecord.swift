import BrokerCore

/// One VM of the federated namespace, as the CLI's `--json` and the JSON-RPC API show it.
/// Every key is always present; absent values are `null`.
public struct DomainRecord: Sendable, Equatable, Codable {
    /// The federated name, `backend/name`.
    public var name: String
    /// The backend of the route the entry is shown through (the first of `routes`).
    public var backend: String
    /// The hypervisor host.
    public var host: String
    /// The VM's UUID.
    public var uuid: String
    /// The hypervisor id while running; null when inactive.
    public var id: Int?
    /// The federation's state token (`running`, `shutoff`, `saved` …).
    public var state: DomainState
    /// The backend's raw state.
    public var backendState: String
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
    /// CPU time, nanoseconds.
    public var cpuTimeNs: UInt64?
    /// Whether it has a persistent definition.
    public var persistent: Bool?
    /// Whether it starts with its host.
    public var autostart: Bool?
    /// Whether it has a managed-save image.
    public var managedSave: Bool?
    /// Every backend through which this VM is reachable, the preferred first.
    public var routes: [String]

    enum CodingKeys: String, CodingKey {
        case name, backend, host, uuid, id, state, reason, platform, vcpus, persistent, autostart, routes
        case backendState = "backend_state"
        case memoryKiB = "memory_kib"
        case maxMemoryKiB = "max_memory_kib"
        case cpuTimeNs = "cpu_time_ns"
        case managedSave = "managed_save"
    }

    /// Builds a record from a backend's domain as seen through `backend`.
    public init(_ domain: Domain, backend: String, routes: [String]) {
        name = "\(backend)/\(domain.name)"
        self.backend = backend
        host = domain.host
        uuid = domain.uuid
        id = domain.id
        state = domain.state
        backendState = domain.backendState
        reason = domain.reason
        platform = domain.platform
        vcpus = domain.vcpus
        memoryKiB = domain.memoryKiB
        maxMemoryKiB = domain.maxMemoryKiB
        cpuTimeNs = domain.cpuTimeNs
        persistent = domain.persistent
        autostart = domain.autostart
        managedSave = domain.managedSave
        self.routes = routes
    }

    /// The backend's own name for the VM (the part after `backend/`).
    public var localName: String { String(name.dropFirst(backend.count + 1)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(backend, forKey: .backend)
        try container.encode(host, forKey: .host)
        try container.encode(uuid, forKey: .uuid)
        try container.encode(id, forKey: .id)
        try container.encode(state, forKey: .state)
        try container.encode(backendState, forKey: .backendState)
        try container.encode(reason, forKey: .reason)
        try container.encode(platform, forKey: .platform)
        try container.encode(vcpus, forKey: .vcpus)
        try container.encode(memoryKiB, forKey: .memoryKiB)
        try container.encode(maxMemoryKiB, forKey: .maxMemoryKiB)
        try container.encode(cpuTimeNs, forKey: .cpuTimeNs)
        try container.encode(persistent, forKey: .persistent)
        try container.encode(autostart, forKey: .autostart)
        try container.encode(managedSave, forKey: .managedSave)
        try container.encode(routes, forKey: .routes)
    }
}
