import ArgumentParser
import BrokerAPI
import BrokerCore

/// `virtfed list`: the federated VM table.
struct List: ClientCommand {
    static let configuration = CommandConfiguration(abstract: "List VMs of every backend (active ones unless --all).")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Include inactive VMs.")
    var all = false

    @Option(help: ArgumentHelp("Only VMs reachable through this backend.", valueName: "name"))
    var backend: String?

    @Option(help: ArgumentHelp("Only VMs in this state (running, paused, shutoff, saved …).", valueName: "state"))
    var state: String?

    @Option(help: ArgumentHelp("Only VMs whose name matches this glob.", valueName: "glob"))
    var name: String?

    @Option(name: .customLong("max-age"), help: ArgumentHelp(
        "Answer from the daemon's inventory cache where a backend's data is at most this many milliseconds old.", valueName: "ms"))
    var maxAge: Int?

    func validate() throws {
        if let maxAge, maxAge < 0 { throw ValidationError("--max-age must not be negative") }
    }

    func run(with client: any FederationClient) async throws(BackendError) -> ExitCode {
        var stateFilter: DomainState?
        if let state {
            guard let parsed = DomainState(token: state) else {
                throw BackendError(.invalidArgument, "unknown state '\(state)'; states: \(DomainState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            stateFilter = parsed
        }
        // A state filter for an inactive state implies --all.
        // The table shows identity and state only: ask backends for no more than that.
        let filter = DomainFilter(all: all || (stateFilter.map { !$0.isActive } ?? false), backend: backend, state: stateFilter,
                                  name: name, detail: global.json ? .full : .states, maxAgeMs: maxAge)
        let list = try await client.listDomains(filter)
        if global.json {
            Output.json(list)
        } else {
            var table = Table("Id", "Name", "State", "Backend", "Host")
            for domain in list.domains {
                table.add(domain.id.map(String.init) ?? "-", domain.name, domain.state.virshWord,
                          domain.routes.joined(separator: ","), domain.host)
            }
            Output.print(table.rendered)
        }
        return ExitStatus.warnings(list.errors)
    }
}
