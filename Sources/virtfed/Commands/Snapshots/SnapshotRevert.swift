import ArgumentParser
import BrokerCore

/// `virtfed snapshot-revert D NAME`: returns the VM to a snapshot.
struct SnapshotRevert: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot-revert", abstract: "Return a VM to a snapshot.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions

    @Argument(help: "backend/name, UUID, or an unambiguous name.")
    var domain: String

    @Argument(help: "The snapshot's name.")
    var name: String

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let result = try await client.perform(.revertSnapshot(name), on: domain, wait: waiting.firstWait)
        return try await waiting.show(result, client: client, global: global, done: "Domain %@ reverted to snapshot \(name)")
    }
}
