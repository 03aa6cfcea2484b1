import Broker
import Foundation
import Prometheus
import Synchronization

/// Everything `/metrics` says, in swift-prometheus registries: the inventory's per-VM and
/// per-backend series (reflected at each scrape), the daemon's RPC counters (recorded as
/// calls are answered) and its client gauges (read at each scrape). The per-VM series live
/// in shards (see `InventoryExporter`), joined family by family into one exposition.
public final class MetricsRegistry: Sendable {
    /// The daemon's RPC counters; `record` them from the RPC handler.
    public let rpc: RPCMetrics

    private let registry = PrometheusCollectorRegistry()
    private let exporter: Mutex<InventoryExporter>
    private let clientGauges: Mutex<[String: Gauge]>

    /// Creates an empty registry; the RPC series of `rpcMethods` are made now (their calls
    /// are counted without a lock), those of other methods when first recorded.
    public init(rpcMethods: some Sequence<String> = []) {
        rpc = RPCMetrics(registry: registry, methods: rpcMethods)
        exporter = Mutex(InventoryExporter(registry: registry))
        clientGauges = Mutex([:])
    }

    /// The exposition (Prometheus text format 0.0.4) of `inventory` and the daemon's own
    /// series; `clients` is connected JSON-RPC clients by socket label. One scrape at a time.
    public func scrape(_ inventory: [BackendInventory], clients: [String: Int] = [:], now: Date = Date()) -> [UInt8] {
        let registry = self.registry
        return exporter.withLock { exporter in
            exporter.reflect(inventory, now: now)
            clientGauges.withLock { gauges in
                for (listener, count) in clients {
                    let gauge = gauges[listener] ?? registry.makeGauge(descriptor: MetricFamily.rpcClients.descriptor, labels: [("listener", listener)])
                    gauges[listener] = gauge
                    gauge.set(Int64(count))
                }
            }
            var merger = ExpositionMerger()
            var buffer: [UInt8] = []
            for source in [registry] + exporter.shards {
                buffer.removeAll(keepingCapacity: true)
                source.emit(into: &buffer)
                merger.add(buffer)
            }
            return merger.bytes()
        }
    }
}
