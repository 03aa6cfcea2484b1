import Broker
import BrokerAPI
import JSONRPC
import Synchronization

/// Encodes `domains.list` answers, keeping the encoded domains and errors of the last listing
/// made wholly from the inventory cache: the same cache generation and filter give the same
/// bytes, so a repeated cached listing only writes its freshness anew.
final class ListingEncoder: Sendable {
    private struct Memo {
        let generation: Int
        let filter: DomainFilter
        let bytes: [UInt8]
    }

    private let memo = Mutex<Memo?>(nil)

    /// The answer for `listing`, made under `filter`.
    func encode(_ listing: DomainListing, filter: DomainFilter) -> RPCPreEncoded {
        guard let generation = listing.cacheGeneration else { return listing.list.preEncoded() }
        var key = filter
        key.maxAgeMs = nil
        let kept = memo.withLock { memo in memo.flatMap { $0.generation == generation && $0.filter == key ? $0.bytes : nil } }
        let bytes = kept ?? listing.list.domainsAndErrorsJSON()
        if kept == nil { memo.withLock { $0 = Memo(generation: generation, filter: key, bytes: bytes) } }
        return RPCPreEncoded(parts: [bytes, listing.list.freshnessJSON()])
    }
}
