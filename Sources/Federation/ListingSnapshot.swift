import BrokerAPI
import Synchronization

/// The domains and errors of one listing. Made wholly from the inventory cache, a snapshot is
/// kept and handed out again while the cache generation and the filter stay the same, so what
/// a door makes of it (its encoded answer) is made once: `encoded(by:)` keeps it.
public final class ListingSnapshot: Sendable {
    /// The VMs, merged and filtered.
    public let domains: [DomainRecord]
    /// The backends that did not answer.
    public let errors: [BackendFailure]
    private let encoding = Mutex<[UInt8]?>(nil)

    /// Creates a snapshot.
    public init(domains: [DomainRecord], errors: [BackendFailure]) {
        self.domains = domains
        self.errors = errors
    }

    /// The snapshot's wire form, made by `encode` the first time it is asked for (a door has one form).
    public func encoded(by encode: (ListingSnapshot) -> [UInt8]) -> [UInt8] {
        if let kept = encoding.withLock({ $0 }) { return kept }
        let bytes = encode(self)
        encoding.withLock { $0 = bytes }
        return bytes
    }
}

/// A federated listing: its snapshot, and how fresh each backend's part is now.
public struct FederatedListing: Sendable {
    /// The domains and errors.
    public var snapshot: ListingSnapshot
    /// Live or cached, and how old, per backend that answered.
    public var freshness: [BackendFreshness]

    /// The listing as the API's value.
    public var list: DomainList { DomainList(domains: snapshot.domains, errors: snapshot.errors, freshness: freshness) }
}
