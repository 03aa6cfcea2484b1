import Broker
import BrokerAPI
import Foundation
import Prometheus
import Synchronization

/// Everything `/metrics` says: in a swift-prometheus registry, the per-backend series
/// (reflected at each scrape by `InventoryExporter`), the daemon's RPC counters (recorded as
/// calls are answered), its client gauges and job counts (read at each scrape); after them
/// every per-VM family, virtfed's and the libvirt exporter's, written from the inventory
/// (`DomainFamilies`).
public final class MetricsRegistry: Sendable {
    /// The daemon's RPC counters; `record` them from the RPC handler.
    public let rpc: RPCMetrics

    private let registry = PrometheusCollectorRegistry()
    private let exporter: Mutex<InventoryExporter>
    private let domainFamilies = Mutex((families: DomainFamilies(), lastSize: 0))
    private let clientGauges: Mutex<[String: Gauge]>
    private let jobSeries = Mutex<(running: [String: Gauge], failed: [String: (counter: Counter, counted: Int)])>(([:], [:]))

    /// Creates an empty registry; the RPC series of `rpcMethods` are made now (their calls
    /// are counted without a lock), those of other methods when first recorded.
    public init(rpcMethods: some Sequence<String> = []) {
        rpc = RPCMetrics(registry: registry, methods: rpcMethods)
        exporter = Mutex(InventoryExporter(registry: registry))
        clientGauges = Mutex([:])
    }

    /// The exposition (Prometheus text format 0.0.4) of `inventory` and the daemon's own
    /// series; `clients` is connected JSON-RPC clients by socket label, `jobs` the jobs running
    /// and those ended failed since start, by backend; `cluster` this node's view of its
    /// cluster, when it is a node of one. One scrape at a time.
    public func scrape(_ inventory: [BackendInventory], clients: [String: Int] = [:], jobs: JobCounts = JobCounts(),
                       cluster: ClusterHealth? = nil, now: Date = Date()) -> [UInt8] {
        let registry = self.registry
        return exporter.withLock { exporter in
            jobSeries.withLock { series in
                for backend in Set(series.running.keys).union(jobs.running.keys) {
                    let gauge = series.running[backend]
                        ?? registry.makeGauge(descriptor: MetricFamily.jobsRunning.descriptor, labels: [("backend", backend)])
                    series.running[backend] = gauge
                    gauge.set(Int64(jobs.running[backend] ?? 0))
                }
                for (backend, total) in jobs.failed {
                    var entry = series.failed[backend]
                        ?? (registry.makeCounter(descriptor: MetricFamily.jobsFailed.descriptor, labels: [("backend", backend)]), 0)
                    if total > entry.counted { entry.counter.increment(by: Int64(total - entry.counted)) }
                    entry.counted = max(entry.counted, total)
                    series.failed[backend] = entry
                }
            }
            exporter.reflect(inventory, now: now)
            clientGauges.withLock { gauges in
                for (listener, count) in clients {
                    let gauge = gauges[listener] ?? registry.makeGauge(descriptor: MetricFamily.rpcClients.descriptor, labels: [("listener", listener)])
                    gauges[listener] = gauge
                    gauge.set(Int64(count))
                }
            }
            var emitted: [UInt8] = []
            registry.emit(into: &emitted)
            return domainFamilies.withLock { state in
                // One buffer, sized from the previous scrape: no copy of the whole as it grows.
                var writer = ExpositionWriter(continuing: emitted, capacity: state.lastSize + state.lastSize / 8)
                state.families.write(inventory, into: &writer)
                if let cluster { ClusterFamilies.write(cluster, into: &writer) }
                state.lastSize = writer.bytes.count
                return writer.bytes
            }
        }
    }
}
