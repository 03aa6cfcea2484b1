/// The answer to a federated listing: what was got, and one entry per backend that failed.
public struct DomainList: Sendable, Equatable, Codable {
    /// The VMs, merged.
    public var domains: [DomainRecord]
    /// The backends that did not answer.
    public var errors: [BackendFailure]

    /// Creates a listing.
    public init(domains: [DomainRecord], errors: [BackendFailure]) {
        self.domains = domains
        self.errors = errors
    }
}
