import Broker
import BrokerAPI
import NIOPosix

/// Turns scrape requests into expositions without tying up Swift's cooperative threads (two on
/// these machines, shared with every RPC call): one scrape at a time, requests that arrive
/// meanwhile share its result, and the CPU work (reflecting the inventory, emitting ~10 MB for
/// 10,000 VMs) runs on NIO's blocking thread pool.
public actor MetricsScraper {
    /// What a scrape reads: the broker's cached inventory, the client counts by socket, the
    /// jobs, and this node's view of its cluster (nil on a single daemon).
    public typealias Source = @Sendable () async -> (inventory: [BackendInventory], clients: [String: Int], jobs: JobCounts, cluster: ClusterHealth?)

    private let registry: MetricsRegistry
    private let source: Source
    private var running: Task<[UInt8], Never>?

    /// Creates a scraper over `registry`, reading `source` at each scrape.
    public init(registry: MetricsRegistry, source: @escaping Source) {
        self.registry = registry
        self.source = source
    }

    /// The current exposition.
    public func scrape() async -> [UInt8] {
        if let running { return await running.value }
        let registry = self.registry, source = self.source
        let task = Task<[UInt8], Never> {
            let (inventory, clients, jobs, cluster) = await source()
            let render: @Sendable () -> [UInt8] = { registry.scrape(inventory, clients: clients, jobs: jobs, cluster: cluster) }
            return (try? await NIOThreadPool.singleton.runIfActive(render)) ?? render()
        }
        running = task
        let bytes = await task.value
        running = nil
        return bytes
    }
}
