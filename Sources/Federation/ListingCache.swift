import Broker
import BrokerAPI
import Synchronization

/// The one memo of listings made from the inventory cache: the namespace merged at one cache
/// generation, and the snapshots made from it per filter. A new generation forgets both.
final class ListingCache: Sendable {
    private struct Memo {
        var generation: Int
        var namespace: Namespace
        var snapshots: [DomainFilter: ListingSnapshot] = [:]
    }

    /// Filters remembered per generation (a dashboard or two asks the same few).
    static let filtersKept = 16
    private let memo = Mutex<Memo?>(nil)

    /// The snapshot for `filter` at `generation`, made by `make` from the (kept) namespace when new.
    func snapshot(generation: Int, filter: DomainFilter, sources: BackendSources,
                  make: (Namespace) -> ListingSnapshot) -> ListingSnapshot {
        var key = filter
        key.maxAgeMs = nil
        let known = memo.withLock { memo -> (Namespace?, ListingSnapshot?) in
            guard let memo, memo.generation == generation else { return (nil, nil) }
            return (memo.namespace, memo.snapshots[key])
        }
        if let snapshot = known.1 { return snapshot }
        let namespace = known.0 ?? sources.listedNamespace
        let snapshot = make(namespace)
        memo.withLock { memo in
            if memo?.generation != generation { memo = Memo(generation: generation, namespace: namespace) }
            if memo!.snapshots.count >= Self.filtersKept { memo!.snapshots.removeAll() }
            memo!.snapshots[key] = snapshot
        }
        return snapshot
    }
}
