import ArgumentParser
import BrokerCore

/// `virtfed snapshot-create-as D [NAME] [--description TEXT]`: takes a snapshot (Hyper-V and
/// SCVMM: a checkpoint).
struct SnapshotCreateAs: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot-create-as", abstract: "Take a snapshot (a checkpoint) of a VM.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions

    @Argument(help: "backend/name, UUID, or an unambiguous name.")
    var domain: String

    @Argument(help: "The snapshot's name (the backend names it when left out).")
    var name: String?

    @Option(help: "A description.")
    var description: String?

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let request = SnapshotRequest(name: name, description: description)
        let result = try await client.perform(.createSnapshot(request), on: domain, wait: waiting.firstWait)
        return try await waiting.show(result, client: client, global: global, done: name.map { "Domain snapshot \($0) created" } ?? "Domain snapshot created")
    }
}
