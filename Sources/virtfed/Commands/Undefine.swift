import ArgumentParser
import BrokerCore

/// `virtfed undefine D [--snapshots-metadata] [--managed-save]`: removes a VM's definition.
struct Undefine: ClientCommand {
    static let configuration = CommandConfiguration(abstract: "Remove a shut-off VM's definition.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions

    @Argument(help: "backend/name, UUID, or an unambiguous name.")
    var domain: String

    @Flag(name: .customLong("snapshots-metadata"), help: "Remove its snapshots' metadata too (libvirt refuses a VM with snapshots otherwise).")
    var snapshotsMetadata = false

    @Flag(name: .customLong("managed-save"), help: "Remove its managed-save image too.")
    var managedSave = false

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let options = UndefineOptions(snapshotsMetadata: snapshotsMetadata, managedSave: managedSave)
        let result = try await client.perform(.undefine(options), on: domain, wait: waiting.firstWait)
        return try await waiting.show(result, client: client, global: global, done: "Domain %@ has been undefined")
    }
}
