import ArgumentParser
import BrokerCore

/// `virtfed autostart D [--disable]`: whether the VM starts with its host.
struct Autostart: ClientCommand {
    static let configuration = CommandConfiguration(abstract: "Start a VM with its host (or, with --disable, not).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var waiting: JobWaitOptions

    @Argument(help: "backend/name, UUID, or an unambiguous name.")
    var domain: String

    @Flag(help: "Do not start it with its host.")
    var disable = false

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let result = try await client.perform(.setAutostart(!disable), on: domain, wait: waiting.firstWait)
        return try await waiting.show(result, client: client, global: global, done: disable ? "Domain %@ unmarked as autostarted" : "Domain %@ marked as autostarted")
    }
}
