import Broker
import Foundation
import Prometheus

/// Reflects the broker's inventory in registries: at each scrape, every VM of every backend
/// gets its series (made once, then updated in place), and the series of VMs and backends
/// that vanished are removed, so no ghost series remain. Not thread-safe: `MetricsRegistry`
/// calls it under its lock.
///
/// Per-VM and per-backend series are spread over `shards` registries by their labels:
/// swift-prometheus copies a family's whole table to add or remove one series, so 10,000 VMs in
/// one registry cost 10,000²/2 copies per family to register (9.5 s for the first scrape,
/// release build). The shards are kept at most `setsPerShard` series sets each on average: when
/// the inventory outgrows them, they are made anew, four times as many (the old ones are dropped
/// whole, never emptied series by series), so registering stays linear in the number of VMs.
/// `ExpositionMerger` joins the shards' families back into one block each.
final class InventoryExporter {
    /// Registries of the per-VM and per-backend series.
    private(set) var shards: [PrometheusCollectorRegistry]
    private let registry: PrometheusCollectorRegistry
    private var backends: [String: (plugin: String, series: BackendSeries)] = [:]
    private var domains: [DomainSeries.Key: DomainSeries] = [:]
    private let sessions: Gauge
    /// The average number of series sets (a VM's, or a backend's) a shard holds at most.
    static let setsPerShard = 64

    init(registry: PrometheusCollectorRegistry, shards: Int = 128) {
        self.registry = registry
        self.shards = Self.makeShards(shards)
        sessions = registry.makeGauge(descriptor: MetricFamily.backendSessions.descriptor)
    }

    private static func makeShards(_ count: Int) -> [PrometheusCollectorRegistry] {
        (0..<max(1, count)).map { _ in PrometheusCollectorRegistry() }
    }

    private func shard(for key: some Hashable) -> PrometheusCollectorRegistry {
        shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
    }

    /// Makes the registry say exactly what `inventory` says; ages are measured from `now`.
    func reflect(_ inventory: [BackendInventory], now: Date) {
        let sets = inventory.reduce(inventory.count) { $0 + $1.domains.count }
        if sets > Self.setsPerShard * shards.count {
            var count = shards.count
            while sets > Self.setsPerShard * count { count *= 4 }
            shards = Self.makeShards(count)
            domains = [:]
            backends = [:]
        }
        var seenBackends = Set<String>()
        var seenDomains = Set<DomainSeries.Key>(minimumCapacity: domains.count)
        for entry in inventory where seenBackends.insert(entry.backend).inserted {
            backendSeries(entry).update(entry, now: now)
            for domain in entry.domains {
                let key = DomainSeries.Key(backend: entry.backend, domain: domain)
                // A backend listing one VM twice gets one series set for it (the first), not a crash.
                guard seenDomains.insert(key).inserted else { continue }
                if let series = domains[key] {
                    series.update(domain)
                } else {
                    domains[key] = DomainSeries(key: key, domain: domain, registry: shard(for: key))
                }
            }
        }
        for (key, series) in domains where !seenDomains.contains(key) {
            series.unregister()
            domains.removeValue(forKey: key)
        }
        for (name, backend) in backends where !seenBackends.contains(name) {
            backend.series.unregister()
            backends.removeValue(forKey: name)
        }
        sessions.set(Int64(inventory.filter(\.up).count))
    }

    /// The backend's series, made anew when it is new or its plugin changed.
    private func backendSeries(_ entry: BackendInventory) -> BackendSeries {
        if let existing = backends[entry.backend] {
            if existing.plugin == entry.plugin { return existing.series }
            existing.series.unregister()
        }
        let series = BackendSeries(backend: entry.backend, plugin: entry.plugin, registry: shard(for: entry.backend))
        backends[entry.backend] = (entry.plugin, series)
        return series
    }
}
