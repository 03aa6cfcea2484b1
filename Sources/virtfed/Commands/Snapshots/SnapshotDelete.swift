import ArgumentParser
import BrokerCore

/// `virtfed snapshot-delete D NAME [--children]`: removes a snapshot (and its descendants).
struct SnapshotDelete: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot-delete", abstract: "Delete a snapshot (with --children, its descendants too).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions

    @Argument(help: "backend/name, UUID, or an unambiguous name.")
    var domain: String

    @Argument(help: "The snapshot's name.")
    var name: String

    @Flag(help: "Delete its descendants too.")
    var children = false

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let result = try await client.perform(.deleteSnapshot(name, children: children), on: domain, wait: waiting.firstWait)
        return try await waiting.show(result, client: client, global: global,
                                      done: children ? "Domain snapshot \(name) and its children deleted" : "Domain snapshot \(name) deleted")
    }
}
