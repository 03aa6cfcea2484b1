import ArgumentParser
import Broker
import BrokerAPI
import BuiltinPlugins
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

    /// The daemon by default; an embedded broker with `--config` (or `VIRTFED_CONFIG` when no
    /// socket is named). `-c` names the socket; otherwise `VIRTFED_SOCKET`, or with `-r`
    /// `VIRTFED_READONLY_SOCKET`, else the standard paths.
    private func makeClient() throws -> any FederationClient {
        let environment = ProcessInfo.processInfo.environment
        if global.connect == nil, let path = global.config ?? (environment["VIRTFED_SOCKET"] == nil ? environment["VIRTFED_CONFIG"] : nil) {
            let configuration = try loadConfiguration(path)
            do {
                return try EmbeddedClient(configuration: configuration)
            } catch {
                throw ExitStatus.fail(error)
            }
        }
        let socket = global.connect ?? (global.readonly
            ? environment["VIRTFED_READONLY_SOCKET"] ?? SocketPaths.client(readOnly: true)
            : environment["VIRTFED_SOCKET"] ?? SocketPaths.client(readOnly: false))
        return DaemonClient(path: socket)
    }
}

/// Loads and validates a configuration file, printing each problem as `error: FILE:LINE: KEY: …`
/// and each warning as `warning: FILE:LINE: KEY: …`.
func loadConfiguration(_ path: String) throws(ExitCode) -> BrokerConfiguration {
    do {
        let configuration = try ConfigurationLoader(registry: BuiltinPlugins.registry).load(file: path)
        for warning in configuration.warnings { Output.warning(warning.description) }
        return configuration
    } catch {
        for problem in error.problems { Output.error(problem.description) }
        throw ExitStatus.failure
    }
}
