import Broker
import BrokerAPI
import BrokerCore
import Logging

/// The federation as every door sees it: the CLI's embedded mode, JSON-RPC, the libvirt
/// facade and `/metrics` all call this, and translate only their wire format. It owns what
/// a call means — resolve → audit → route → job (sent once, followed to its end) → audit, the
/// read-only policy, XML for every VM (the backend's own, or synthesized), and the one listing
/// cache. Jobs: `FederationService+Jobs.swift`.
public final class FederationService: Sendable {
    /// The engine: sessions, fan-out, the inventory cache, events.
    public let broker: Broker
    let audit: (any AuditTrail)?
    let logger: Logger
    private let listings = ListingCache()
    let changes = ChangeLocks()
    let jobs: JobTable
    let jobSettings: JobSettings
    let journal: (any JobJournal)?
    let cluster: (any ClusterMembership)?

    /// Creates the service over a broker; `audit` receives every mutating call; `jobs` says how
    /// backends' jobs are followed and how many ended jobs are kept; `journal`, when given,
    /// keeps them across restarts (every change of a job written, in order); `cluster`, on a
    /// node of a cluster, says which backends this node may change now.
    public init(broker: Broker, audit: (any AuditTrail)?, jobs: JobSettings = JobSettings(), journal: (any JobJournal)? = nil,
                cluster: (any ClusterMembership)? = nil, logger: Logger) {
        self.broker = broker
        self.cluster = cluster
        self.audit = audit
        self.logger = logger
        self.journal = journal
        jobSettings = jobs
        self.jobs = JobTable(retention: jobs.retention) { [broker] record in
            broker.publish(.job(record))
            journal?.save(record)
        }
    }

    // MARK: - Reads

    /// The backends, their state and parsed URIs.
    public func backends() async -> [BackendStatus] { await broker.backends() }

    /// The names of the federation's backends: in a cluster, every node's, not only this one's sessions.
    public func backendNames() async -> Set<String> {
        if let cluster { return cluster.backendNames }
        return Set(await broker.backends().map(\.name))
    }

    /// The cluster's nodes, leases and store; `unsupported` on a daemon that is no cluster's node.
    public func clusterStatus() async throws(BackendError) -> ClusterStatus {
        guard let cluster else {
            throw BackendError(.unsupported, "this daemon is not a node of a cluster (no [cluster] store in its configuration)")
        }
        return try await cluster.status()
    }

    /// Every host of every backend.
    public func hosts() async -> HostList { await broker.hosts() }

    /// A host's hardware; with no backend named, the first backend's.
    public func nodeInfo(backend: String?) async throws(BackendError) -> NodeInfoResult { try await broker.nodeInfo(backend: backend) }

    /// Every backend's last known inventory, from the cache: never touches a backend.
    public func inventory() async -> [BackendInventory] { await broker.inventory() }

    /// The federated listing: live, or from the inventory cache for backends whose data is at
    /// most `filter.maxAgeMs` old (then kept while the VMs keep their states and settings: see `ListingCache`).
    public func listing(_ filter: DomainFilter) async -> FederatedListing {
        let sources = await broker.sources(detail: filter.detail, maxAge: filter.maxAgeMs.map { .milliseconds($0) }, lastKnown: true)
        let make = { (namespace: Namespace) in
            ListingSnapshot(domains: Self.records(of: namespace, passing: filter), errors: sources.failures)
        }
        var (snapshot, freshness) = (ListingSnapshot?.none, sources.freshness)
        if let generation = sources.cacheGeneration, let shape = sources.cacheShape, let maxAge = filter.maxAgeMs {
            (snapshot, freshness) = listings.listing(generation: generation, shape: shape, maxAge: .milliseconds(maxAge),
                                                     filter: filter, sources: sources, make: make)
        }
        // A down backend's last known VMs only keep names: its part of the answer is its error.
        let failed = Set(sources.failures.map(\.backend))
        return FederatedListing(snapshot: snapshot ?? make(sources.listedNamespace), freshness: freshness.filter { !failed.contains($0.backend) })
    }

    /// One VM, by `backend/name`, UUID or unambiguous bare name, as its backends say now.
    public func domain(_ argument: String) async throws(BackendError) -> DomainRecord {
        try await resolve(argument, live: true).record
    }

    /// The VM's definition in libvirt's domain XML: its backend's own where it has one,
    /// otherwise synthesized in libvirt's schema with the type its plugin names.
    public func xml(_ argument: String) async throws(BackendError) -> String {
        let entry = try await resolve(argument, live: false)
        do {
            return try await throughRoutes(entry) { session, domain throws(BackendError) in try await session.xml(.uuid(domain.uuid)) }.value
        } catch where error.code == .unsupported {
            let plugin = await broker.plugin(of: entry.record.backend)
            let domainType = plugin.map { type(of: $0).libvirtDomainType(platform: entry.record.platform) } ?? "test"
            return SynthesizedDomainXML.xml(entry.record, type: domainType, stats: entry.routes.lazy.compactMap(\.domain.stats).first)
        }
    }

    // MARK: - Changes

    /// Runs a lifecycle action as a job: sent at most once, through the VM's preferred route
    /// (the next route only when the first provably never received it), then followed by the
    /// daemon to its end whatever the caller does. Returns once the job ends or `wait` passes
    /// (nil: until it ends) — a job still running then is in the answer, to follow with `job`.
    /// A job that ends failed within the wait is thrown as its error. Refused for a read-only
    /// caller; audited always. `operation` names the call in a refusal (the door's own name).
    public func perform(
        _ action: DomainAction, on argument: String, caller: Caller, operation: String? = nil, wait: Duration? = nil
    ) async throws(BackendError) -> ActionResult {
        try await perform(.lifecycle(action), on: argument, caller: caller, operation: operation, wait: wait)
    }

    /// Runs any change to an existing VM as a job, exactly as `perform(_:on:…)` runs a
    /// lifecycle action (changes that add, remove or move a VM re-read its backends when done).
    public func perform(
        _ change: DomainChange, on argument: String, caller: Caller, operation: String? = nil, wait: Duration? = nil
    ) async throws(BackendError) -> ActionResult {
        let method = RPCMethod(change.operation).rawValue
        if caller.readOnly {
            let refusal = BackendError(.permissionDenied, caller.refusal(operation ?? method))
            await record(method, domain: argument, route: nil, failure: refusal, caller: caller)
            throw refusal
        }
        let outcome: Result<ActionResult, BackendError>
        do throws(BackendError) {
            let entry = try await resolve(argument, live: false)
            if caller.forwardedFrom == nil, let cluster, let (holder, backend) = holderElsewhere(of: entry, in: cluster) {
                // Every route is another node's: that node runs the change, audited there.
                let request = ForwardedRequest(work: .change(change, domain: entry.record.name), operation: operation, wait: wait, caller: caller)
                return try await cluster.forward(request, to: holder, backend: backend)
            }
            // The trail fails closed: a change it cannot record is not sent.
            try await recordIntent(method, domain: entry.record.name, caller: caller)
            let job = await jobs.open(domain: entry.record.name, action: change.operation)
            let route = try await send(change, to: entry, job: job.id)
            outcome = .success(try await ended(job, domain: entry.record.name, route: route, wait: wait))
        } catch {
            outcome = .failure(error)
        }
        return try await audited(method, domain: argument, caller: caller, outcome)
    }

    /// In a cluster, when no route of `entry` is through a backend this node holds: the node
    /// that holds the first one, and that backend.
    func holderElsewhere(of entry: Namespace.Entry, in cluster: any ClusterMembership) -> (node: String, backend: String)? {
        guard !entry.routes.contains(where: { cluster.holder(of: $0.backend) == nil && cluster.refusal(toChange: $0.backend) == nil }) else {
            return nil
        }
        for route in entry.routes {
            if let node = cluster.holder(of: route.backend) { return (node, route.backend) }
        }
        return nil
    }

    /// The job once it ended or `wait` passed; one that failed within the wait is thrown as its error.
    func ended(_ job: JobRecord, domain: String, route: String, wait: Duration?) async throws(BackendError) -> ActionResult {
        let ended = await jobs.wait(job.id, upTo: wait) ?? job
        if ended.state == .failed {
            throw BackendError(ErrorCode(rawValue: ended.code ?? "") ?? .internal, ended.message ?? "\(job.action.rawValue) failed", backend: route)
        }
        return ActionResult(domain: domain, action: job.action, route: route, job: ended)
    }

    /// Writes a change's outcome to the audit trail (under `argument` when it failed before
    /// naming its VM) and hands it back.
    func audited(_ method: String, domain argument: String, caller: Caller, _ outcome: Result<ActionResult, BackendError>) async throws(BackendError) -> ActionResult {
        switch outcome {
        case .success(let result):
            await record(method, domain: result.domain, route: result.route, failure: nil, caller: caller)
            return result
        case .failure(let error):
            await record(method, domain: argument, route: nil, failure: error, caller: caller)
            throw error
        }
    }

    // MARK: - Events

    /// Subscribes to the federated events; see `Broker.subscribe`.
    public func subscribe(_ filter: EventFilter, limit: Int) -> (id: Int, events: AsyncStream<BrokerEvent>) {
        broker.subscribe(filter, limit: limit)
    }

    /// Ends a subscription; false when there is none with that id.
    @discardableResult
    public func unsubscribe(_ id: Int) -> Bool { broker.unsubscribe(id) }

    // MARK: - Internals

    /// The records of the entries that pass `filter`, in one pass (a full listing of a large
    /// estate copies each record once).
    static func records(of namespace: Namespace, passing filter: DomainFilter) -> [DomainRecord] {
        var records: [DomainRecord] = []
        if filter.all && filter.backend == nil && filter.state == nil && filter.name == nil {
            records.reserveCapacity(namespace.entries.count)
        }
        for entry in namespace.entries where passes(entry.record, filter) { records.append(entry.record) }
        return records
    }

    static func passes(_ record: DomainRecord, _ filter: DomainFilter) -> Bool {
        if !filter.all && !record.state.isActive { return false }
        if let backend = filter.backend, !record.routes.contains(backend) { return false }
        if let state = filter.state, record.state != state { return false }
        if let pattern = filter.name {
            let glob = NameGlob(pattern: pattern)
            if !(glob.matches(record.name) || glob.matches(record.localName)) { return false }
        }
        return true
    }

    /// The VM an argument names. `live`: in the namespace as the backends answer now.
    /// Otherwise (to act on it) from the inventory cache where the daemon keeps one, with the
    /// last known VMs of backends that are down — so `hv01/web-01` still names its VM, and its
    /// other routes, while hv01 is down — and live only where nothing is cached or the name is
    /// not found there (a VM defined a moment ago). Actions go by UUID, which never changes.
    func resolve(_ argument: String, live: Bool) async throws(BackendError) -> Namespace.Entry {
        if !live {
            let known = await broker.sources(maxAge: .seconds(86_400), lastKnown: true)
            if let entry = try? Self.candidates(for: argument, in: known).namespace.resolve(argument) { return entry }
        }
        let sources = await broker.sources()
        do {
            return try sources.namespace.resolve(argument)
        } catch where error.code == .notFound && !sources.failures.isEmpty {
            let down = sources.failures.map { "\($0.backend) (\($0.message))" }.joined(separator: "; ")
            throw BackendError(.notFound, "\(error.message); backends not answering: \(down)")
        }
    }

    /// The sources cut down to the VMs `argument` can name and those sharing their identity
    /// (UUID or BIOS GUID), so resolving merges a handful of VMs, not the whole federation.
    private static func candidates(for argument: String, in sources: BackendSources) -> BackendSources {
        let lowered = argument.lowercased()
        var slash: (backend: Substring, name: Substring)?
        if let index = argument.firstIndex(of: "/") {
            slash = (argument[..<index], argument[argument.index(after: index)...])
        }
        var uuids = Set<String>(), bios = Set<String>()
        for source in sources.sources {
            for domain in source.domains where domain.uuid == lowered || domain.name == argument
                || (slash.map { source.backend == $0.backend && domain.name == $0.name } ?? false) {
                uuids.insert(domain.uuid)
                if let guid = domain.biosGuid { bios.insert(guid) }
            }
        }
        var cut = sources
        cut.sources = sources.sources.map { source in
            var kept = source
            kept.domains = source.domains.filter { uuids.contains($0.uuid) || $0.biosGuid.map(bios.contains) == true }
            return kept
        }
        return cut
    }

    /// Tries each route in order; only an unavailable or silent backend moves on to the next.
    /// A `change` goes to the next route only when it provably never left for the first (no
    /// session, refused connection, no slot in time): once handed to a session, a timeout or a
    /// broken connection is `outcome_unknown`, never a second send.
    func throughRoutes<T: Sendable>(
        _ entry: Namespace.Entry,
        change: String? = nil,
        _ operation: @escaping @Sendable (any BackendSession, Domain) async throws(BackendError) -> T
    ) async throws(BackendError) -> (route: String, value: T) {
        var lastError = BackendError(.backendUnavailable, "no route to \(entry.record.name)")
        for route in entry.routes {
            let domain = route.domain
            do {
                return (route.backend, try await once(route.backend, change: change) { session throws(BackendError) in
                    try await operation(session, domain)
                })
            } catch where error.code == .backendUnavailable || error.code == .timeout {
                lastError = error
            }
        }
        throw lastError
    }

    /// One call through one backend. A `change` the fence refuses is not sent (`backend_unavailable`,
    /// so another route may take it). For a `change`, a call that was handed to the session and
    /// then timed out or lost its connection is `outcome_unknown` (never sent again); only one
    /// that provably never left comes back as the backend's unavailability.
    func once<T: Sendable>(
        _ backend: String, change: String?, _ operation: @escaping @Sendable (any BackendSession) async throws(BackendError) -> T
    ) async throws(BackendError) -> T {
        if change != nil, let refusal = cluster?.refusal(toChange: backend) { throw refusal }
        let sent = SendMark()
        do {
            return try await broker.call(backend) { session throws(BackendError) in
                sent.mark()
                return try await operation(session)
            }
        } catch where error.code == .backendUnavailable || error.code == .timeout {
            if let change, sent.isMarked, !error.provablyNotSent {
                throw BackendError(.outcomeUnknown, "\(change) was sent through \(backend) and no answer says whether it happened "
                    + "(\(error.message)); it was not sent again: the next listing shows the VM's state", backend: backend)
            }
            throw error
        }
    }

    /// Records that a change is about to be sent; throws `internal` ("audit trail unavailable")
    /// when the trail cannot keep it, so that the change is refused before anything is sent.
    func recordIntent(_ method: String, domain: String, caller: Caller) async throws(BackendError) {
        guard let audit else { return }
        do throws(BackendError) {
            try await audit.record(AuditEntry(time: AuditLog.timestamp(), peer: caller.peer, listener: caller.door, method: method,
                                              domain: domain, route: nil, result: "sending", code: nil, message: nil))
        } catch {
            logger.error("audit trail unavailable; change refused", metadata: ["method": "\(method)", "domain": "\(domain)", "error": "\(error.message)"])
            throw BackendError(.internal, "audit trail unavailable (\(error.message)); \(method) on \(domain) was refused and not sent")
        }
    }

    /// Logs a mutating call with its peer and appends it to the audit trail.
    func record(_ method: String, domain: String, route: String?, failure: BackendError?, caller: Caller) async {
        var metadata: Logger.Metadata = ["method": "\(method)", "domain": "\(domain)", "listener": "\(caller.door)",
                                         "result": "\(failure?.code.rawValue ?? "ok")"]
        if let peer = caller.peer { metadata["peer"] = "uid=\(peer.uid) gid=\(peer.gid) pid=\(peer.pid)" }
        logger.info("mutating call", metadata: metadata)
        do throws(BackendError) {
            try await audit?.record(AuditEntry(
                time: AuditLog.timestamp(), peer: caller.peer, listener: caller.door, method: method, domain: domain, route: route,
                result: failure == nil ? "ok" : "error", code: failure?.code.rawValue, message: failure?.message))
        } catch {
            logger.error("audit record not kept", metadata: ["error": "\(error.message)"])
        }
    }
}
