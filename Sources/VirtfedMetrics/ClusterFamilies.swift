import BrokerAPI

/// The cluster gauges a node of a cluster adds to its `/metrics` (a single daemon has none),
/// every series labelled with the node, so that the scrapes of all nodes add up: the store
/// reached or not, the last round's duration, nodes alive and down, backends held here and by
/// no one, the age of each copy of another node's backend (the store lag), and the events
/// relayed. The per-backend and per-VM series of a node cover only the backends it holds.
enum ClusterFamilies {
    static func write(_ health: ClusterHealth, into writer: inout ExpositionWriter) {
        let node = ExpositionWriter.labels(["node": health.node])
        writer.family("virtfed_cluster_store_up", type: "gauge", help: "1 if this node's last round reached the cluster's store, else 0.")
        writer.sample("virtfed_cluster_store_up", labels: node, value: UInt64(health.storeUp ? 1 : 0))
        if let seconds = health.lastRoundSeconds {
            writer.family("virtfed_cluster_round_seconds", type: "gauge",
                          help: "How long this node's last round against the store took (heartbeat, leases, publishing, copies).")
            writer.sample("virtfed_cluster_round_seconds", labels: node, value: seconds)
        }
        writer.family("virtfed_cluster_nodes", type: "gauge", help: "Nodes of the cluster as this node last saw them, alive or down (stopped or silent).")
        writer.sample("virtfed_cluster_nodes", labels: node, extra: ["state": "alive"], value: UInt64(health.nodesAlive))
        writer.sample("virtfed_cluster_nodes", labels: node, extra: ["state": "down"], value: UInt64(health.nodesDown))
        writer.family("virtfed_cluster_backends_held", type: "gauge", help: "Backends this node holds the lease of.")
        writer.sample("virtfed_cluster_backends_held", labels: node, value: UInt64(health.backendsHeld))
        writer.family("virtfed_cluster_backends_unheld", type: "gauge", help: "Configured backends no node held at this node's last round.")
        writer.sample("virtfed_cluster_backends_unheld", labels: node, value: UInt64(health.backendsUnheld))
        writer.family("virtfed_cluster_peer_copy_age_seconds", type: "gauge",
                      help: "Age of this node's copy of a backend another node holds: since the holder read it from the backend.")
        for copy in health.peerCopies {
            writer.sample("virtfed_cluster_peer_copy_age_seconds", labels: node, extra: ["backend": copy.backend, "holder": copy.node],
                          value: copy.ageSeconds)
        }
        writer.family("virtfed_cluster_events_relayed_total", type: "counter", help: "Events this node sent to the other nodes or received from them, since start.")
        writer.sample("virtfed_cluster_events_relayed_total", labels: node, extra: ["direction": "sent"], value: UInt64(health.eventsSent))
        writer.sample("virtfed_cluster_events_relayed_total", labels: node, extra: ["direction": "received"], value: UInt64(health.eventsReceived))
        writer.family("virtfed_cluster_events_lost_total", type: "counter", help: "Events this node could not send to the other nodes, since start.")
        writer.sample("virtfed_cluster_events_lost_total", labels: node, value: UInt64(health.eventsLost))
    }
}
