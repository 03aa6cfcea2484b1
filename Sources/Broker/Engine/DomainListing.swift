import BrokerAPI

/// A federated listing and, when it was made wholly from the inventory cache, the cache
/// generation it was read at: two listings with the same generation and the same filter have
/// the same domains and errors (only `freshness` ages move), so a caller may reuse what it made
/// of the first — an encoded answer, say.
public struct DomainListing: Sendable {
    /// The listing.
    public var list: DomainList
    /// The cache generation, or nil when any backend was asked live.
    public var cacheGeneration: Int?
}
