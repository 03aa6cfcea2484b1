import BrokerCore

/// Which events a subscription receives (`events.subscribe`); an absent member means all.
public struct EventFilter: Sendable, Equatable, Codable {
    /// Only events from these backends.
    public var backends: [String]?
    /// Only events about these VMs: federated names, bare names or UUIDs.
    public var domains: [String]?
    /// Only these event types (backend events are always delivered unless `backends` excludes them).
    public var types: [DomainEventType]?
    /// Also jobs' progress (`event.job`); off unless asked for.
    public var jobs: Bool

    /// Creates a filter.
    public init(backends: [String]? = nil, domains: [String]? = nil, types: [DomainEventType]? = nil, jobs: Bool = false) {
        self.backends = backends
        self.domains = domains
        self.types = types
        self.jobs = jobs
    }

    /// Whether a domain event passes.
    public func admits(_ event: DomainEventRecord) -> Bool {
        if let backends, !backends.contains(event.backend) { return false }
        if let types, !types.contains(event.type) { return false }
        if let domains {
            let bare = event.domain.split(separator: "/", maxSplits: 1).last.map(String.init) ?? event.domain
            guard domains.contains(where: { $0 == event.domain || $0 == bare || $0.lowercased() == event.uuid }) else { return false }
        }
        return true
    }

    /// Whether a backend event passes.
    public func admits(_ event: BackendEventRecord) -> Bool {
        backends.map { $0.contains(event.backend) } ?? true
    }

    /// Whether a job's event passes: asked for (`jobs`), its route among `backends`, its VM among `domains`
    /// (lifecycle `types` do not apply to jobs).
    public func admits(_ job: JobRecord) -> Bool {
        guard jobs else { return false }
        if let backends, !backends.contains(job.route ?? "") { return false }
        if let domains {
            let bare = job.domain.split(separator: "/", maxSplits: 1).last.map(String.init) ?? job.domain
            guard domains.contains(where: { $0 == job.domain || $0 == bare }) else { return false }
        }
        return true
    }
}
