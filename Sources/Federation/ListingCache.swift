import Broker
import BrokerAPI
import Synchronization

/// The one memo of listings made from the inventory cache: the namespace merged at one cache
/// generation, and the snapshots made from it per filter. A change to the VMs themselves (one
/// appears, goes, changes state or settings) forgets both at once; counters that merely moved
/// (the CPU time of running VMs, re-read every refresh) leave the memo in use for up to
/// `countersLag`, so that on a large estate, where some backend's counters move every few
/// milliseconds, listings are not merged afresh each time.
final class ListingCache: Sendable {
    private struct Memo {
        var generation: Int
        var shape: Int
        var made: ContinuousClock.Instant
        var namespace: Namespace
        var snapshots: [DomainFilter: ListingSnapshot] = [:]
    }

    /// Filters remembered per generation (a dashboard or two asks the same few).
    static let filtersKept = 16
    /// How much older than the cache a kept listing's counters may be (never more than the
    /// listing's own `max_age_ms`).
    let countersLag: Duration
    private let memo = Mutex<Memo?>(nil)

    /// A memo whose counters may lag by `countersLag` (5 s: one default poll interval).
    init(countersLag: Duration = .seconds(5)) {
        self.countersLag = countersLag
    }

    /// The snapshot for `filter` at `generation` (and `shape`), made by `make` from the (kept)
    /// namespace when new. `maxAge` bounds how old the kept counters may be.
    func snapshot(generation: Int, shape: Int, maxAge: Duration, filter: DomainFilter, sources: BackendSources,
                  make: (Namespace) -> ListingSnapshot) -> ListingSnapshot {
        var key = filter
        key.maxAgeMs = nil
        let now = ContinuousClock.now
        let lag = min(countersLag, maxAge)
        let known = memo.withLock { memo -> (Namespace?, ListingSnapshot?) in
            guard let kept = memo else { return (nil, nil) }
            guard kept.generation == generation || (kept.shape == shape && now - kept.made <= lag) else { return (nil, nil) }
            return (kept.namespace, kept.snapshots[key])
        }
        if let snapshot = known.1 { return snapshot }
        let namespace = known.0 ?? sources.listedNamespace
        let snapshot = make(namespace)
        memo.withLock { memo in
            // A namespace merged just now replaces the kept one; one taken from the memo joins it.
            if known.0 == nil { memo = Memo(generation: generation, shape: shape, made: now, namespace: namespace) }
            guard memo != nil else { return }
            if memo!.snapshots.count >= Self.filtersKept { memo!.snapshots.removeAll() }
            memo!.snapshots[key] = snapshot
        }
        return snapshot
    }
}
