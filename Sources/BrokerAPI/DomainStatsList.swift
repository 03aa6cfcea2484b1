/// The answer to `domains.stats`: each selected VM's load, and the backends that failed.
public struct DomainStatsList: Sendable, Equatable, Codable {
    /// The VMs, in listing order.
    public var domains: [DomainStatsRecord]
    /// The backends that did not answer.
    public var errors: [BackendFailure]

    /// Creates an answer.
    public init(domains: [DomainStatsRecord], errors: [BackendFailure]) {
        self.domains = domains
        self.errors = errors
    }
}
