import Broker
import Foundation
import Prometheus

/// Reflects the broker's inventory in a registry: at each scrape, every VM of every backend
/// gets its series (made once, then updated in place), and the series of VMs and backends
/// that vanished are removed, so no ghost series remain. Not thread-safe: `MetricsRegistry`
/// calls it under its lock.
final class InventoryExporter {
    private let registry: PrometheusCollectorRegistry
    private var backends: [String: (plugin: String, series: BackendSeries)] = [:]
    private var domains: [DomainSeries.Key: DomainSeries] = [:]
    private let sessions: Gauge

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        sessions = registry.makeGauge(descriptor: MetricFamily.backendSessions.descriptor)
    }

    /// Makes the registry say exactly what `inventory` says; ages are measured from `now`.
    func reflect(_ inventory: [BackendInventory], now: Date) {
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
                    domains[key] = DomainSeries(key: key, domain: domain, registry: registry)
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
        let series = BackendSeries(backend: entry.backend, plugin: entry.plugin, registry: registry)
        backends[entry.backend] = (entry.plugin, series)
        return series
    }
}
