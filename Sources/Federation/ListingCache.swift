import Broker
import BrokerAPI
import BrokerCore
import Synchronization

/// The one memo of listings made from the inventory cache: the namespace merged at one cache
/// generation, and the snapshots made from it per filter. A change to the VMs themselves (one
/// appears, goes, changes state or settings) forgets both at once. Counters that merely moved
/// (the CPU time of running VMs, re-read every refresh) do not: the memo stays in use while
/// its data is as fresh as the caller asks, and the freshness given with it is its own — so
/// on a large estate, where some backend's counters move every few milliseconds, listings
/// are not merged afresh each time, and their states are still the cache's latest.
final class ListingCache: Sendable {
    private struct Memo {
        var generation: Int
        var shape: Int
        var made: ContinuousClock.Instant
        /// Each backend's freshness when the memo was made.
        var freshness: [BackendFreshness]
        var namespace: Namespace
        var snapshots: [DomainFilter: ListingSnapshot] = [:]
    }

    /// Filters remembered per generation (a dashboard or two asks the same few).
    static let filtersKept = 16
    private let memo = Mutex<Memo?>(nil)

    /// The listing for `filter` from `sources`, all of them from the cache at `generation` and
    /// `shape`: a kept snapshot while the VMs' shape holds and its data is at most `maxAge`
    /// old, or one made by `make` from the (kept) namespace. With it, the freshness of what it
    /// shows: the sources' own, or the kept data's, older.
    func listing(generation: Int, shape: Int, maxAge: Duration, filter: DomainFilter, sources: BackendSources,
                 make: (Namespace) -> ListingSnapshot) -> (snapshot: ListingSnapshot, freshness: [BackendFreshness]) {
        var key = filter
        key.maxAgeMs = nil
        let now = ContinuousClock.now
        let limit = maxAge.inMilliseconds
        let known = memo.withLock { memo -> (namespace: Namespace, snapshot: ListingSnapshot?, freshness: [BackendFreshness])? in
            guard let kept = memo else { return nil }
            if kept.generation == generation { return (kept.namespace, kept.snapshots[key], sources.freshness) }
            guard kept.shape == shape else { return nil }
            let elapsed = (now - kept.made).inMilliseconds
            let freshness = kept.freshness.map { BackendFreshness(backend: $0.backend, ageMs: $0.ageMs + elapsed, source: $0.source) }
            guard !freshness.contains(where: { $0.ageMs > limit }) else { return nil }
            return (kept.namespace, kept.snapshots[key], freshness)
        }
        if let known, let snapshot = known.snapshot { return (snapshot, known.freshness) }
        let namespace = known?.namespace ?? sources.listedNamespace
        let snapshot = make(namespace)
        memo.withLock { memo in
            // A namespace merged just now replaces the kept one; one taken from the memo joins it.
            if known == nil { memo = Memo(generation: generation, shape: shape, made: now, freshness: sources.freshness, namespace: namespace) }
            guard memo != nil else { return }
            if memo!.snapshots.count >= Self.filtersKept { memo!.snapshots.removeAll() }
            memo!.snapshots[key] = snapshot
        }
        return (snapshot, known?.freshness ?? sources.freshness)
    }
}
