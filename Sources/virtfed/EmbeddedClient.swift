import Broker
import BrokerAPI
import BrokerCore
import BuiltinPlugins
import Federation
import Foundation

/// A broker inside the CLI process, built from a configuration file. Sessions open lazily,
/// all at once, on the first federated call.
struct EmbeddedClient: FederationClient {
    let service: FederationService
    /// This process, as the service's caller.
    private let caller = Caller(door: "cli", peer: (pid: getpid(), uid: getuid(), gid: getgid()))

    /// Backends opened at once at most, whatever `connect_concurrency` says: the daemon's
    /// bound is against reconnect storms, and a one-shot CLI opens each backend once and never
    /// reconnects, so all of them (up to this many) open together.
    static let opensAtOnce = 64

    init(configuration: BrokerConfiguration) throws(BackendError) {
        var configuration = configuration
        configuration.limits.connectConcurrency = max(configuration.limits.connectConcurrency,
                                                      min(configuration.backends.count, Self.opensAtOnce))
        let broker = try Broker(configuration: configuration, registry: BuiltinPlugins.registry, logger: CLILogging.logger)
        service = FederationService(broker: broker, audit: nil, logger: CLILogging.logger)
    }

    func backends() async throws(BackendError) -> [BackendStatus] {
        await service.broker.start()
        return await service.backends()
    }

    func hosts() async throws(BackendError) -> HostList { await service.hosts() }
    func clusterStatus() async throws(BackendError) -> ClusterStatus { try await service.clusterStatus() }
    func listDomains(_ filter: DomainFilter) async throws(BackendError) -> DomainList { await service.listing(filter).list }
    func domain(_ argument: String) async throws(BackendError) -> DomainRecord { try await service.domain(argument) }
    func xml(_ argument: String) async throws(BackendError) -> String { try await service.xml(argument) }
    func statistics(_ query: DomainStatsQuery) async throws(BackendError) -> DomainStatsList { try await service.statistics(query) }

    /// The job runs in this process: the command follows it as it would the daemon's (with
    /// `--no-wait`, the backend's own job goes on, but nothing here follows it any more).
    func perform(_ change: ChangeRequest, on argument: String, wait: Duration?) async throws(BackendError) -> ActionResult {
        if case .migrate(let destination, let live) = change {
            return try await service.migrate(argument, to: destination, live: live, caller: caller, wait: wait)
        }
        return try await service.perform(change.domainChange!, on: argument, caller: caller, wait: wait)
    }

    func define(xml: String, backend: String?, host: String?, template: String?, wait: Duration?) async throws(BackendError) -> ActionResult {
        try await service.define(xml: xml, backend: backend, host: host, template: template, caller: caller, wait: wait)
    }

    func snapshots(of argument: String) async throws(BackendError) -> SnapshotList { try await service.snapshots(of: argument) }
    func snapshotXML(_ name: String, of argument: String) async throws(BackendError) -> String { try await service.snapshotXML(name, of: argument) }

    func jobs(all: Bool) async throws(BackendError) -> [JobRecord] { await service.jobList(all: all) }
    func job(_ id: String) async throws(BackendError) -> JobRecord { try await service.job(id) }
    func cancelJob(_ id: String) async throws(BackendError) -> JobRecord { try await service.cancel(job: id, caller: caller) }

    func nodeInfo(backend: String?) async throws(BackendError) -> NodeInfoResult { try await service.nodeInfo(backend: backend) }
    func watchEvents(
        _ filter: EventFilter, until deadline: ContinuousClock.Instant?, _ handle: @escaping @Sendable (BrokerEvent) -> Bool
    ) async throws(BackendError) {
        throw BackendError(.unsupported, "events need the daemon: start 'virtfedd --config FILE' and run 'virtfed event' without --config")
    }

    func close() async { await service.broker.shutdown() }
}
