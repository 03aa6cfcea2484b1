/// The answer to a federated listing: what was got, and one entry per backend that failed.
public struct DomainList: Sendable, Equatable, Codable {
    /// The VMs, merged.
    public var domains: [DomainRecord]
    /// The backends that did not answer.
    public var errors: [BackendFailure]
    /// How old each answering backend's data is (live, or from the inventory cache).
    public var freshness: [BackendFreshness]

    /// Creates a listing.
    public init(domains: [DomainRecord], errors: [BackendFailure], freshness: [BackendFreshness] = []) {
        self.domains = domains
        self.errors = errors
        self.freshness = freshness
    }
}
