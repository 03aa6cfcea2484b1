import BrokerAPI
import BrokerCore
import Foundation
import Logging

/// The federation engine: one supervised session per configured backend, every query fanned
/// out to all of them at once under each backend's own deadline, answers merged into one
/// namespace. A dead or slow backend costs its own entry in `errors`, never the others' data.
public actor Broker {
    private(set) var supervisors: [BackendSupervisor]
    private(set) var configuration: BrokerConfiguration
    private let registry: PluginRegistry
    let logger: Logger
    /// Every backend's last known VMs.
    let cache = InventoryCache()
    /// In a cluster, the backends other nodes hold.
    private var peers: (any PeerInventory)?
    /// The federated event stream's subscribers.
    let hub = EventHub()
    /// Daemon-wide bounds: session opens (count and rate) and cache refreshes at once.
    let reconnects: ReconnectLimiter
    let refreshes: ConcurrencyLimit
    /// One monitor task per backend, while `maintain()` runs.
    var monitors: [ObjectIdentifier: Task<Void, Never>] = [:]
    /// UUID → federated name, rebuilt from the cache when `namesDirty`.
    var federatedNames: [String: String] = [:]
    var namesDirty = true
    /// VMs named by backend events, waiting to be re-read into the cache, per backend.
    var pendingRereads: [String: Set<String>] = [:]
    /// Backends whose re-read task runs.
    var rereading: Set<String> = []
    /// The state each VM's events last announced, per backend: a change is announced once.
    var announced: [String: [String: DomainState]] = [:]

    /// Creates a broker for a validated configuration. Nothing connects until `start()`.
    public init(configuration: BrokerConfiguration, registry: PluginRegistry, logger: Logger) throws(BackendError) {
        self.configuration = configuration
        self.registry = registry
        self.logger = logger
        let limits = configuration.limits
        reconnects = ReconnectLimiter(concurrent: limits.connectConcurrency, perSecond: limits.connectsPerSecond)
        refreshes = ConcurrencyLimit(limits.refreshConcurrency)
        supervisors = []
        for backend in configuration.backends {
            supervisors.append(try Self.supervisor(for: backend, registry: registry, reconnects: reconnects, logger: logger))
        }
    }

    /// Opens every backend's session concurrently, each bounded by its deadline. Failures
    /// are kept as the backend's status; they do not stop the broker.
    public func start() async {
        _ = await fanOut(supervisors) { _ in }
    }

    /// Keeps sessions healthy and the inventory cache current until cancelled: every
    /// `interval`, backends that are down are reconnected (with their backoff) and dead
    /// sessions noticed, all at once; each backend's monitor keeps its VMs and events flowing.
    public func maintain(every interval: Duration = .seconds(2)) async {
        defer { stopMonitoring() }
        while !Task.isCancelled {
            syncMonitors()
            let current = supervisors
            await withTaskGroup(of: Void.self) { group in
                for supervisor in current {
                    group.addTask {
                        do throws(BackendError) {
                            try await withDeadline(milliseconds: supervisor.configuration.timeoutMilliseconds,
                                                   what: "backend \(supervisor.name)") { () async throws(BackendError) in
                                await supervisor.checkHealth()
                            }
                        } catch {
                            // A hung check abandons the session or attempt, as a hung call does.
                            await supervisor.timedOut(error)
                        }
                    }
                }
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Applies a new configuration: backends whose entry is unchanged keep their session;
    /// added ones connect, removed ones close, changed ones are replaced. Returns what changed.
    @discardableResult
    public func apply(_ new: BrokerConfiguration) async throws(BackendError) -> (added: [String], removed: [String], changed: [String], kept: [String]) {
        var next: [BackendSupervisor] = []
        var added: [String] = [], changed: [String] = [], kept: [String] = []
        for backend in new.backends {
            if let existing = supervisors.first(where: { $0.configuration.name == backend.name }) {
                if existing.configuration == backend {
                    next.append(existing)
                    kept.append(backend.name)
                    continue
                }
                changed.append(backend.name)
            } else {
                added.append(backend.name)
            }
            next.append(try Self.supervisor(for: backend, registry: registry, reconnects: reconnects, logger: logger))
        }
        let retired = supervisors.filter { old in !next.contains { $0 === old } }
        let removed = retired.map(\.configuration.name).filter { name in !changed.contains(name) }
        supervisors = next
        configuration = new
        namesDirty = true
        cache.invalidate()
        if !monitors.isEmpty { syncMonitors() }
        for name in removed {
            cache.remove(name)
            announced[name] = nil
        }
        for supervisor in retired { await supervisor.shutdown() }
        _ = await fanOut(next.filter { supervisor in !kept.contains(supervisor.configuration.name) }) { _ in }
        logger.info("configuration applied", metadata: [
            "added": "\(added)", "removed": "\(removed)", "changed": "\(changed)", "kept": "\(kept.count)",
        ])
        return (added, removed, changed, kept)
    }

    /// Closes every session.
    public func shutdown() async {
        stopMonitoring()
        for supervisor in supervisors.reversed() { await supervisor.shutdown() }
    }

    /// The backends, their state and parsed URIs.
    public func backends() async -> [BackendStatus] {
        var result: [BackendStatus] = []
        for supervisor in supervisors {
            let (state, error) = await supervisor.status
            result.append(BackendStatus(
                name: supervisor.name, plugin: type(of: supervisor.plugin).name,
                status: BackendStatus.Status(rawValue: state.rawValue), error: error?.message,
                uri: supervisor.configuration.uri
            ))
        }
        return result
    }

    /// Every backend's VMs: from the cache where its data is at most `maxAge` old, live
    /// otherwise (a full or load live listing also refreshes the cache; a full one keeps the
    /// VMs' last measured load), one part per backend in
    /// configuration order. The generation is the cache's when every part came from it.
    /// With `lastKnown`, a backend that fails live is given with its last known VMs as well as
    /// its failure (the namespace keeps its names while it is down).
    public func sources(detail: ListingDetail = .full, maxAge: Duration? = nil, lastKnown: Bool = false) async -> BackendSources {
        // The backends as they are now: a new configuration applied while this listing waits
        // for them (a reload, a cluster node taking or giving up backends) is the next one's.
        let supervisors = self.supervisors
        var cached: [Int: (domains: [Domain], age: Duration)] = [:]
        let (generation, shape) = (cache.generation, cache.shapeGeneration)
        if let maxAge {
            for (index, supervisor) in supervisors.enumerated() {
                cached[index] = cache.fresh(supervisor.name, maxAge: maxAge)
            }
        }
        let live = supervisors.indices.filter { cached[$0] == nil }
        let started = ContinuousClock.now
        let results = await fanOut(live.map { supervisors[$0] }) { session throws(BackendError) in
            try await session.domains(detail: detail)
        }
        var answers: [Int: Result<(domains: [Domain], age: Duration?), BackendError>] = [:]
        for (index, (_, result)) in zip(live, results) {
            answers[index] = result.map { ($0, nil) }
            if detail >= .full, case .success(let domains) = result { record(domains, of: supervisors[index].name, startedAt: started) }
        }
        for (index, hit) in cached { answers[index] = .success((hit.domains, hit.age)) }
        var result = BackendSources(preferredRoute: configuration.preferredRoute)
        for (index, supervisor) in supervisors.enumerated() {
            switch answers[index]! {
            case .success(let (domains, age)):
                result.sources.append(Namespace.Source(backend: supervisor.name, routeKind: type(of: supervisor.plugin).routeKind, domains: domains))
                result.freshness.append(BackendFreshness(backend: supervisor.name, ageMs: age?.inMilliseconds ?? 0,
                                                         source: age == nil ? .live : .cache))
            case .failure(let error):
                result.failures.append(BackendFailure(backend: supervisor.name, error))
                if lastKnown, let entry = cache.entry(supervisor.name), let refreshed = entry.refreshed {
                    result.sources.append(Namespace.Source(backend: supervisor.name, routeKind: type(of: supervisor.plugin).routeKind,
                                                           domains: entry.domains, isLastKnown: true))
                    result.freshness.append(BackendFreshness(backend: supervisor.name, ageMs: (.now - refreshed).inMilliseconds,
                                                             source: .cache))
                }
            }
        }
        if live.isEmpty && result.failures.isEmpty { (result.cacheGeneration, result.cacheShape) = (generation, shape) }
        if let peers {
            let remote = peers.peerSources(excluding: Set(supervisors.map(\.name)))
            for source in remote {
                result.sources.append(Namespace.Source(backend: source.backend, routeKind: source.routeKind, domains: source.domains))
                result.freshness.append(BackendFreshness(backend: source.backend, ageMs: source.age.inMilliseconds, source: .cluster))
            }
            if !remote.isEmpty { (result.cacheGeneration, result.cacheShape) = (nil, nil) }
        }
        return result
    }

    /// Adds (or with nil removes) the VMs of backends other nodes of a cluster hold to every listing.
    public func setPeers(_ peers: (any PeerInventory)?) {
        self.peers = peers
    }

    /// The VMs each of `backends` held here has in the cache, when it was last read whole, and
    /// the entry's revision (which moves with every change, events' too), with its plugin's
    /// route kind: what a cluster node publishes for the others.
    public func lastRead(_ backends: Set<String>) -> [(backend: String, routeKind: RouteKind, domains: [Domain], at: Date, revision: Int)] {
        supervisors.compactMap { supervisor in
            guard backends.contains(supervisor.name), let entry = cache.entry(supervisor.name), !entry.stale, let at = entry.refreshedAt else { return nil }
            return (supervisor.name, type(of: supervisor.plugin).routeKind, entry.domains, at, entry.revision)
        }
    }

    /// Every host of every backend.
    public func hosts() async -> HostList {
        let results = await fanOut(supervisors) { session throws(BackendError) in try await session.hosts() }
        var hosts: [HostRecord] = []
        var errors: [BackendFailure] = []
        for (name, result) in results {
            switch result {
            case .success(let list): hosts += list.map { HostRecord(backend: name, host: $0) }
            case .failure(let error): errors.append(BackendFailure(backend: name, error))
            }
        }
        return HostList(hosts: hosts, errors: errors)
    }

    /// Runs one call on the named backend's session, under its deadline.
    public func call<T: Sendable>(
        _ backend: String, _ operation: @escaping @Sendable (any BackendSession) async throws(BackendError) -> T
    ) async throws(BackendError) -> T {
        guard let supervisor = supervisors.first(where: { $0.configuration.name == backend }) else {
            throw BackendError(.backendUnavailable, "backend \(backend) is no longer configured")
        }
        return try await bounded(supervisor, operation)
    }

    /// Re-reads one backend's VMs into the cache now (after a change that adds, removes or
    /// moves a VM), publishing what changed; a backend that does not answer is left as cached.
    public func refresh(_ backend: String) async {
        guard let supervisor = supervisors.first(where: { $0.configuration.name == backend }) else { return }
        let started = ContinuousClock.now
        if let domains = try? await bounded(supervisor, { session throws(BackendError) in try await session.domains(detail: .full) }) {
            record(domains, of: backend, startedAt: started)
        }
    }

    /// Brings the cache of `backend` up to now: a full re-read, then (at most 2 s) the re-reads
    /// of VMs its events named — the event of a change just made can arrive after the re-read
    /// began, which then leaves the VM to the event's own re-read.
    public func settle(_ backend: String) async {
        await refresh(backend)
        for _ in 0..<200 where rereading.contains(backend) || pendingRereads[backend]?.isEmpty == false {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// A configured backend's URI.
    public func uri(of backend: String) -> BackendURI? {
        supervisors.first { $0.configuration.name == backend }?.configuration.uri
    }

    /// The plugin serving a configured backend.
    public func plugin(of backend: String) -> (any BackendPlugin)? {
        supervisors.first { $0.configuration.name == backend }?.plugin
    }

    /// The plugin that would serve `uri` (a backend another node of a cluster holds).
    public nonisolated func plugin(for uri: BackendURI) -> (any BackendPlugin)? {
        try? registry.plugin(for: uri)
    }

    /// A host's hardware; with no backend named, the first backend's.
    public func nodeInfo(backend: String?) async throws(BackendError) -> NodeInfoResult {
        let supervisor: BackendSupervisor
        if let backend {
            guard let found = supervisors.first(where: { $0.configuration.name == backend }) else {
                throw BackendError(.notFound, "no backend named '\(backend)'; backends: \(names)")
            }
            supervisor = found
        } else {
            guard let first = supervisors.first else { throw BackendError(.notFound, "no backends configured") }
            supervisor = first
        }
        let node = try await bounded(supervisor) { session throws(BackendError) in try await session.nodeInfo(host: nil) }
        return NodeInfoResult(backend: supervisor.configuration.name, node: node)
    }

    // MARK: - Internals

    private static func supervisor(
        for backend: BackendConfiguration, registry: PluginRegistry, reconnects: ReconnectLimiter, logger: Logger
    ) throws(BackendError) -> BackendSupervisor {
        BackendSupervisor(configuration: backend, plugin: try registry.plugin(for: backend.uri), reconnects: reconnects, logger: logger)
    }

    private var names: String { supervisors.map(\.configuration.name).joined(separator: ", ") }

    /// One backend call under the backend's deadline.
    func bounded<T: Sendable>(
        _ supervisor: BackendSupervisor,
        _ operation: @escaping @Sendable (any BackendSession) async throws(BackendError) -> T
    ) async throws(BackendError) -> T {
        let timeout = supervisor.configuration.timeoutMilliseconds
        let name = supervisor.configuration.name
        do {
            return try await withDeadline(milliseconds: timeout, what: "backend \(name)") { () async throws(BackendError) -> T in
                try await supervisor.run(operation)
            }
        } catch where error.code == .timeout {
            await supervisor.timedOut(error)
            throw error.attributed(to: name)
        }
    }

    /// Runs `operation` on every backend at once; results come back in configuration order.
    /// Each child writes its own slot (children return nothing: a release build returned
    /// corrupted `(index, Result)` tuples from three or more children).
    private func fanOut<T: Sendable>(
        _ targets: [BackendSupervisor],
        _ operation: @escaping @Sendable (any BackendSession) async throws(BackendError) -> T
    ) async -> [(String, Result<T, BackendError>)] {
        let slots = FanOutSlots<T>(count: targets.count)
        await withTaskGroup(of: Void.self) { group in
            for (index, supervisor) in targets.enumerated() {
                group.addTask {
                    do throws(BackendError) {
                        slots.fill(index, with: .success(try await self.bounded(supervisor, operation)))
                    } catch {
                        slots.fill(index, with: .failure(error))
                    }
                }
            }
        }
        return zip(targets, slots.results).map { ($0.configuration.name, $1) }
    }
}
