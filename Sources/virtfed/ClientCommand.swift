import ArgumentParser
import Broker
import BrokerCore
import Foundation

/// A command that talks to the federation: it gets a client, runs, closes the client, and
/// exits with the code its body chose.
protocol ClientCommand: AsyncParsableCommand {
    var global: GlobalOptions { get }
    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode
}

extension ClientCommand {
    func run() async throws {
        let client = try makeClient()
        let code: ExitCode
        do {
            code = try await run(with: client)
        } catch {
            code = ExitStatus.fail(error)
        }
        await client.close()
        if code != ExitStatus.success { throw code }
    }

    private func makeClient() throws -> any FederationClient {
        guard let path = global.config ?? ProcessInfo.processInfo.environment["VIRTFED_CONFIG"] else {
            Output.error("no configuration: give --config FILE or set VIRTFED_CONFIG")
            throw ExitStatus.failure
        }
        let configuration = try loadConfiguration(path)
        do {
            return try EmbeddedClient(configuration: configuration)
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}

/// Loads and validates a configuration file, printing each problem as `error: FILE:LINE: KEY: …`.
func loadConfiguration(_ path: String) throws(ExitCode) -> BrokerConfiguration {
    do {
        return try ConfigurationLoader(registry: Plugins.registry).load(file: path)
    } catch {
        for problem in error.problems { Output.error(problem.description) }
        throw ExitStatus.failure
    }
}
