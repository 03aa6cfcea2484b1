import Broker
import BrokerAPI
import BrokerCore

/// A broker inside the CLI process, built from a configuration file. Sessions open lazily,
/// all at once, on the first federated call.
struct EmbeddedClient: FederationClient {
    let broker: Broker

    init(configuration: BrokerConfiguration) throws(BackendError) {
        broker = try Broker(configuration: configuration, registry: Plugins.registry, logger: CLILogging.logger)
    }

    func backends() async throws(BackendError) -> [BackendStatus] {
        await broker.start()
        return await broker.backends()
    }

    func hosts() async throws(BackendError) -> HostList { await broker.hosts() }
    func listDomains(_ filter: DomainFilter) async throws(BackendError) -> DomainList { await broker.listDomains(filter) }
    func domain(_ argument: String) async throws(BackendError) -> DomainRecord { try await broker.domain(argument) }
    func xml(_ argument: String) async throws(BackendError) -> String { try await broker.xml(argument) }

    func perform(_ action: DomainAction, on argument: String) async throws(BackendError) -> ActionResult {
        try await broker.perform(action, on: argument)
    }

    func nodeInfo(backend: String?) async throws(BackendError) -> NodeInfoResult { try await broker.nodeInfo(backend: backend) }
    func watchEvents(
        _ filter: EventFilter, until deadline: ContinuousClock.Instant?, _ handle: @escaping @Sendable (BrokerEvent) -> Bool
    ) async throws(BackendError) {
        throw BackendError(.unsupported, "events need the daemon: start 'virtfedd --config FILE' and run 'virtfed event' without --config")
    }

    func close() async { await broker.shutdown() }
}
