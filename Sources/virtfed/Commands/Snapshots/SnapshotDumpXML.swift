import ArgumentParser
import BrokerCore

/// `virtfed snapshot-dumpxml D NAME`: a snapshot in libvirt's snapshot XML.
struct SnapshotDumpXML: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot-dumpxml", abstract: "Print a snapshot's XML.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "backend/name, UUID, or an unambiguous name.")
    var domain: String

    @Argument(help: "The snapshot's name.")
    var name: String

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let xml = try await client.snapshotXML(name, of: domain)
        if global.json { Output.json(["domain": domain, "snapshot": name, "xml": xml]) } else { Output.print(xml) }
        return ExitStatus.success
    }
}
