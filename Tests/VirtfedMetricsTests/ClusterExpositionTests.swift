import BrokerAPI
import Testing
import VirtfedMetrics

@Suite("/metrics of a node of a cluster")
struct ClusterExpositionTests {
    @Test("the cluster gauges, each labelled with the node; none on a single daemon")
    func clusterGauges() throws {
        let health = ClusterHealth(node: "node-a", storeUp: true, lastRoundSeconds: 0.012, nodesAlive: 2, nodesDown: 1, backendsHeld: 5,
                                   backendsUnheld: 1, peerCopies: [.init(backend: "kvm-b", node: "node-b", ageSeconds: 2.5)],
                                   eventsSent: 7, eventsReceived: 3, eventsLost: 0)
        let text = try Exposition(MetricsRegistry().scrape([], cluster: health, now: Fixtures.now))
        let node = ["node": "node-a"]
        #expect(text.value("virtfed_cluster_store_up", node) == 1)
        #expect(text.value("virtfed_cluster_round_seconds", node) == 0.012)
        #expect(text.value("virtfed_cluster_nodes", ["node": "node-a", "state": "alive"]) == 2)
        #expect(text.value("virtfed_cluster_nodes", ["node": "node-a", "state": "down"]) == 1)
        #expect(text.value("virtfed_cluster_backends_held", node) == 5 && text.value("virtfed_cluster_backends_unheld", node) == 1)
        #expect(text.value("virtfed_cluster_peer_copy_age_seconds", ["node": "node-a", "backend": "kvm-b", "holder": "node-b"]) == 2.5)
        #expect(text.value("virtfed_cluster_events_relayed_total", ["node": "node-a", "direction": "sent"]) == 7)
        #expect(text.value("virtfed_cluster_events_relayed_total", ["node": "node-a", "direction": "received"]) == 3)
        #expect(text.value("virtfed_cluster_events_lost_total", node) == 0)
        let single = try Exposition(MetricsRegistry().scrape([], now: Fixtures.now))
        #expect(single.samples("virtfed_cluster_store_up").isEmpty)
    }
}
