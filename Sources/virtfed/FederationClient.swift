import BrokerAPI
import BrokerCore

/// What the CLI needs from the federation, whether the broker runs in this process
/// (`--config`) or in the daemon.
protocol FederationClient: Sendable {
    func backends() async throws(BackendError) -> [BackendStatus]
    func hosts() async throws(BackendError) -> HostList
    /// The cluster's nodes and leases (a daemon that is a cluster's node).
    func clusterStatus() async throws(BackendError) -> ClusterStatus
    func listDomains(_ filter: DomainFilter) async throws(BackendError) -> DomainList
    func domain(_ argument: String) async throws(BackendError) -> DomainRecord
    func xml(_ argument: String) async throws(BackendError) -> String
    /// The load of the VMs a query selects.
    func statistics(_ query: DomainStatsQuery) async throws(BackendError) -> DomainStatsList
    /// Runs an action; answers when its job ends or after `wait` (nil: the door's default —
    /// the daemon's `wait_ms`, or in-process until the job ends).
    func perform(_ change: ChangeRequest, on argument: String, wait: Duration?) async throws(BackendError) -> ActionResult
    /// Creates a VM from domain XML on a backend (and host).
    func define(xml: String, backend: String?, host: String?, template: String?, wait: Duration?) async throws(BackendError) -> ActionResult
    func snapshots(of argument: String) async throws(BackendError) -> SnapshotList
    func snapshotXML(_ name: String, of argument: String) async throws(BackendError) -> String
    func jobs(all: Bool) async throws(BackendError) -> [JobRecord]
    func job(_ id: String) async throws(BackendError) -> JobRecord
    func cancelJob(_ id: String) async throws(BackendError) -> JobRecord
    func nodeInfo(backend: String?) async throws(BackendError) -> NodeInfoResult
    /// Receives events until `handle` returns false or `deadline` passes.
    func watchEvents(
        _ filter: EventFilter, until deadline: ContinuousClock.Instant?, _ handle: @escaping @Sendable (BrokerEvent) -> Bool
    ) async throws(BackendError)
    func close() async
}
