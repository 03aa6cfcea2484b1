import Broker
import Foundation
import Prometheus

/// One backend's series (labels backend, plugin): up, stale, refresh duration and errors,
/// reconnects, data age, VM count.
final class BackendSeries {
    private let registry: PrometheusCollectorRegistry
    private let labels: [(String, String)]
    private let up: Gauge
    private let stale: Gauge
    private let domains: Gauge
    private let refreshErrors: Counter
    private let reconnects: Counter
    private let timeouts: Counter
    private let refreshLag: Gauge
    private var refreshDuration: Gauge?
    private var dataAge: Gauge?

    init(backend: String, plugin: String, registry: PrometheusCollectorRegistry) {
        self.registry = registry
        labels = [("backend", backend), ("plugin", plugin)]
        up = registry.makeGauge(descriptor: MetricFamily.backendUp.descriptor, labels: labels)
        stale = registry.makeGauge(descriptor: MetricFamily.backendStale.descriptor, labels: labels)
        domains = registry.makeGauge(descriptor: MetricFamily.backendDomains.descriptor, labels: labels)
        refreshErrors = registry.makeCounter(descriptor: MetricFamily.backendRefreshErrors.descriptor, labels: labels)
        reconnects = registry.makeCounter(descriptor: MetricFamily.backendReconnects.descriptor, labels: labels)
        timeouts = registry.makeCounter(descriptor: MetricFamily.backendTimeouts.descriptor, labels: labels)
        refreshLag = registry.makeGauge(descriptor: MetricFamily.backendRefreshLag.descriptor, labels: labels)
    }

    /// Sets every value from the backend's inventory entry, ages measured from `now`.
    func update(_ inventory: BackendInventory, now: Date) {
        up.set(to: inventory.up ? 1 : 0)
        stale.set(to: inventory.stale || !inventory.up ? 1 : 0)
        domains.set(Int64(inventory.domains.count))
        // Totals kept by the broker; a counter that starts again lower is a reset, as Prometheus expects.
        refreshErrors.reset()
        refreshErrors.increment(by: Int64(max(0, inventory.refreshErrors)))
        reconnects.reset()
        reconnects.increment(by: Int64(max(0, inventory.reconnects)))
        timeouts.reset()
        timeouts.increment(by: Int64(max(0, inventory.timeouts)))
        refreshLag.set(inventory.refreshLagSeconds)
        refreshDuration = set(refreshDuration, .backendRefreshDuration, to: inventory.lastRefreshSeconds)
        dataAge = set(dataAge, .backendDataAge, to: inventory.refreshedAt.map { max(0, now.timeIntervalSince($0)) })
    }

    /// A gauge present only while there is a value for it.
    private func set(_ gauge: Gauge?, _ family: MetricFamily, to value: Double?) -> Gauge? {
        guard let value else {
            if let gauge { registry.unregisterGauge(gauge) }
            return nil
        }
        let gauge = gauge ?? registry.makeGauge(descriptor: family.descriptor, labels: labels)
        gauge.set(value)
        return gauge
    }

    /// Removes every series of this backend.
    func unregister() {
        for gauge in [up, stale, domains, refreshLag] + [refreshDuration, dataAge].compactMap({ $0 }) { registry.unregisterGauge(gauge) }
        for counter in [refreshErrors, reconnects, timeouts] { registry.unregisterCounter(counter) }
    }
}
