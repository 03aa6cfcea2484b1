import ArgumentParser
import BrokerCore

/// `virtfed dumpxml D`: the VM's definition in libvirt's domain XML.
struct DumpXML: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "dumpxml", abstract: "Print a VM's domain XML.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "backend/name, UUID, or an unambiguous name.")
    var domain: String

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let xml = try await client.xml(domain)
        if global.json {
            Output.json(["domain": domain, "xml": xml])
        } else {
            Output.print(xml)
        }
        return ExitStatus.success
    }
}
