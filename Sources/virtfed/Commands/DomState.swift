import ArgumentParser
import BrokerAPI
import BrokerCore

/// `virtfed domstate D [--reason]`.
struct DomState: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "domstate", abstract: "Show a VM's state.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also show why it is in that state.")
    var reason = false

    @Argument(help: "backend/name, UUID, or an unambiguous name.")
    var domain: String

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        let record = try await client.domain(domain)
        if global.json {
            Output.json(StateAnswer(domain: record.name, state: record.state, backendState: record.backendState, reason: record.reason))
        } else if reason, let why = record.reason {
            Output.print("\(record.state.virshWord) (\(why))\n")
        } else {
            Output.print("\(record.state.virshWord)\n")
        }
        return ExitStatus.success
    }

    struct StateAnswer: Encodable {
        let domain: String
        let state: DomainState
        let backendState: String
        let reason: String?

        enum CodingKeys: String, CodingKey {
            case domain, state, reason
            case backendState = "backend_state"
        }
    }
}
