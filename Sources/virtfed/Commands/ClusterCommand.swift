import ArgumentParser
import BrokerAPI
import BrokerCore

/// `virtfed cluster status`: the nodes of a cluster, the backends each holds, and the store.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Work with a cluster of daemons on one store.", subcommands: [Status.self]
    )

    struct Status: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "The nodes of the cluster (alive, heartbeat age, backends held), each lease, and the store, as the daemon reads them."
        )

        @OptionGroup var global: GlobalOptions

        func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
            let status = try await client.clusterStatus()
            if global.json {
                Output.json(status)
                return ExitStatus.success
            }
            var nodes = Table("Node", "Site", "Alive", "Heartbeat", "Backends")
            for node in status.nodes {
                nodes.add(node.name + (node.name == status.node ? " (this)" : ""), node.site ?? "-", node.alive ? "yes" : "no",
                          "\(node.heartbeatAgeMilliseconds) ms ago", node.backends.isEmpty ? "-" : "\(node.backends.count): " + node.backends.joined(separator: ", "))
            }
            Output.print(nodes.rendered)
            var leases = Table("Backend", "Node", "Generation", "Expires")
            for lease in status.leases {
                leases.add(lease.backend, lease.node, String(lease.generation),
                           lease.expiresInMilliseconds > 0 ? "in \(lease.expiresInMilliseconds) ms" : "expired")
            }
            Output.print(leases.rendered)
            Output.print("Store: \(status.store) (\(String(format: "%.1f", status.storeLatencyMilliseconds)) ms)"
                         + (status.unowned.isEmpty ? "" : "; held by no node: " + status.unowned.joined(separator: ", ")))
            return ExitStatus.success
        }
    }
}
