import ArgumentParser
import BrokerAPI
import BrokerCore

/// `virtfed hosts`: every hypervisor host behind every backend.
struct Hosts: ClientCommand {
    static let configuration = CommandConfiguration(abstract: "List the hypervisor hosts behind every backend.")

    @OptionGroup var global: GlobalOptions

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let list = try await client.hosts()
        if global.json {
            Output.json(list)
        } else {
            var table = Table("Backend", "Host", "Hypervisor", "Version", "State")
            for host in list.hosts {
                table.add(host.backend, host.name, host.hypervisor, host.version ?? "-", host.state)
            }
            Output.print(table.rendered)
        }
        return ExitStatus.warnings(list.errors)
    }
}
