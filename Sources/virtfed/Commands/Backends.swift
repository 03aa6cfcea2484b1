import ArgumentParser
import BrokerAPI
import BrokerCore

/// `virtfed backends`: every configured backend and whether it is connected.
struct Backends: ClientCommand {
    static let configuration = CommandConfiguration(abstract: "List the configured backends and their state.")

    @OptionGroup var global: GlobalOptions

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let backends = try await client.backends()
        if global.json {
            Output.json(backends)
        } else {
            var table = Table("Name", "Plugin", "Status", "URI", "Error")
            for backend in backends {
                table.add(backend.name, backend.plugin, backend.status?.rawValue ?? "-", backend.uri, backend.error ?? "")
            }
            Output.print(table.rendered)
        }
        return ExitStatus.success
    }
}
