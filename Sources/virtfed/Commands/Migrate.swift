import ArgumentParser
import BrokerCore

/// `virtfed migrate D --to BACKEND[/HOST]`: moves a VM to another host of its kind — another
/// libvirt or Hyper-V backend, or another host of its SCVMM server.
struct Migrate: ClientCommand {
    static let configuration = CommandConfiguration(abstract: "Move a VM to another backend or host of its kind.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions

    @Argument(help: "backend/name, UUID, or an unambiguous name.")
    var domain: String

    @Option(help: ArgumentHelp("BACKEND (a libvirt or Hyper-V host) or BACKEND/HOST (a host of the VM's SCVMM server).", valueName: "target"))
    var to: String

    @Flag(name: .customLong("offline"), help: "Do not move it while it runs (libvirt: an offline migration of a shut-off VM).")
    var offline = false

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let result = try await client.perform(.migrate(to: to, live: !offline), on: domain, wait: waiting.firstWait)
        return try await waiting.show(result, client: client, global: global, done: "Domain %@ migrated to \(to)")
    }
}
