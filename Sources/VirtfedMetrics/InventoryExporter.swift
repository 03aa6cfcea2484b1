import Broker
import Foundation
import Prometheus

/// Reflects each backend's state in the registry: at each scrape every backend gets its series
/// (made once, then updated in place), and the series of backends that left the configuration
/// are removed, so no ghost series remain. The VMs' series are not here: `DomainFamilies`
/// writes them from the inventory. Not thread-safe: `MetricsRegistry` calls it under its lock.
final class InventoryExporter {
    private let registry: PrometheusCollectorRegistry
    private var backends: [String: (plugin: String, series: BackendSeries)] = [:]
    private let sessions: Gauge

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        sessions = registry.makeGauge(descriptor: MetricFamily.backendSessions.descriptor)
    }

    /// Makes the registry say what `inventory` says of each backend; ages are measured from `now`.
    func reflect(_ inventory: [BackendInventory], now: Date) {
        var seen = Set<String>()
        for entry in inventory where seen.insert(entry.backend).inserted {
            backendSeries(entry).update(entry, now: now)
        }
        for (name, backend) in backends where !seen.contains(name) {
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
