import ArgumentParser
import BrokerCore
import Foundation

/// `virtfed define FILE --backend B [--host H]`: creates a VM from libvirt domain XML on one
/// backend (for SCVMM, on one of its hosts), as a job. Without `--backend`, the XML's `<name>`
/// says where (`backend/name` or `backend/host/name`), as through the libvirt socket.
struct Define: ClientCommand {
    static let configuration = CommandConfiguration(abstract: "Define a VM from libvirt domain XML on a backend.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions

    @Argument(help: "The domain XML file ('-' reads standard input).")
    var file: String

    @Option(help: "The backend to create the VM on (default: the XML's <name>, written backend/name).")
    var backend: String?

    @Option(help: "The host to create it on, for a backend with several (SCVMM).")
    var host: String?

    @Option(help: "Make it from this template of the backend's library (SCVMM) instead of the XML's hardware.")
    var template: String?

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let xml: String
        if file == "-" {
            xml = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw BackendError(.invalidArgument, "cannot read \(file)")
            }
            xml = String(decoding: data, as: UTF8.self)
        }
        let result = try await client.define(xml: xml, backend: backend, host: host, template: template, wait: waiting.firstWait)
        return try await waiting.show(result, client: client, global: global, done: "Domain %@ defined from \(file)")
    }
}
