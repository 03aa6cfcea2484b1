import BrokerCore

/// A host behind a backend.
public struct HostRecord: Sendable, Equatable, Codable {
    /// The backend that reported it.
    public var backend: String
    /// The host's name.
    public var name: String
    /// The hypervisor type.
    public var hypervisor: String
    /// The hypervisor version.
    public var version: String?
    /// The host's state as its backend sees it.
    public var state: String

    /// Creates a host record.
    public init(backend: String, host: Host) {
        self.backend = backend
        name = host.name
        hypervisor = host.hypervisor
        version = host.hypervisorVersion
        state = host.state
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(backend, forKey: .backend)
        try container.encode(name, forKey: .name)
        try container.encode(hypervisor, forKey: .hypervisor)
        try container.encode(version, forKey: .version)
        try container.encode(state, forKey: .state)
    }
}

/// The answer to `hosts`: every host, and one entry per backend that failed.
public struct HostList: Sendable, Equatable, Codable {
    /// The hosts.
    public var hosts: [HostRecord]
    /// The backends that did not answer.
    public var errors: [BackendFailure]

    /// Creates a host listing.
    public init(hosts: [HostRecord], errors: [BackendFailure]) {
        self.hosts = hosts
        self.errors = errors
    }
}
