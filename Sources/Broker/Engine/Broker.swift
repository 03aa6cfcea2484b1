import BrokerAPI
import BrokerCore
import Glibc
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
    /// The federated event stream's subscribers.
    let hub = EventHub()
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
    /// The namespace last merged wholly from the cache, and the cache generation it was read at.
    var cachedNamespace: (generation: Int, namespace: Namespace)?
    /// The last listing made wholly from the cache: its generation, filter (without
    /// `maxAgeMs`) and domains.
    var cachedListing: (generation: Int, filter: DomainFilter, domains: [DomainRecord])?

    /// Creates a broker for a validated configuration. Nothing connects until `start()`.
    public init(configuration: BrokerConfiguration, registry: PluginRegistry, logger: Logger) throws(BackendError) {
        self.configuration = configuration
        self.registry = registry
        self.logger = logger
        supervisors = []
        for backend in configuration.backends {
            supervisors.append(BackendSupervisor(configuration: backend, plugin: try registry.plugin(for: backend.uri), logger: logger))
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
            next.append(BackendSupervisor(configuration: backend, plugin: try registry.plugin(for: backend.uri), logger: logger))
        }
        let retired = supervisors.filter { old in !next.contains { $0 === old } }
        let removed = retired.map(\.configuration.name).filter { name in !changed.contains(name) }
        supervisors = next
        configuration = new
        namesDirty = true
        cachedNamespace = nil
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

    /// The federated listing: live, or from the inventory cache for backends whose data is at
    /// most `filter.maxAgeMs` old.
    public func listDomains(_ filter: DomainFilter = DomainFilter()) async -> DomainList {
        await listing(filter).list
    }

    /// The federated listing, with the cache generation it was made at when no backend was
    /// asked live (see `DomainListing`).
    public func listing(_ filter: DomainFilter) async -> DomainListing {
        let (namespace, failures, freshness, generation) = await namespace(detail: filter.detail, maxAge: filter.maxAgeMs.map { .milliseconds($0) })
        var key = filter
        key.maxAgeMs = nil
        if let generation, let memo = cachedListing, memo.generation == generation, memo.filter == key {
            return DomainListing(list: DomainList(domains: memo.domains, errors: failures, freshness: freshness), cacheGeneration: generation)
        }
        let domains = namespace.entries.map(\.record).filter { record in
            if !filter.all && !record.state.isActive { return false }
            if let backend = filter.backend, !record.routes.contains(backend) { return false }
            if let state = filter.state, record.state != state { return false }
            if let glob = filter.name, !(Self.matches(glob, record.name) || Self.matches(glob, record.localName)) { return false }
            return true
        }
        if let generation { cachedListing = (generation, key, domains) }
        return DomainListing(list: DomainList(domains: domains, errors: failures, freshness: freshness), cacheGeneration: generation)
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

    /// One VM, by `backend/name`, UUID or unambiguous bare name.
    public func domain(_ argument: String) async throws(BackendError) -> DomainRecord {
        try await resolve(argument).record
    }

    /// The VM's XML, through its first working route.
    public func xml(_ argument: String) async throws(BackendError) -> String {
        let entry = try await resolve(argument)
        return try await throughRoutes(entry) { session, domain throws(BackendError) in try await session.xml(.uuid(domain.uuid)) }.value
    }

    /// Runs a lifecycle action through the VM's preferred route, falling back to the next
    /// route when a backend is unavailable.
    public func perform(_ action: DomainAction, on argument: String) async throws(BackendError) -> ActionResult {
        let entry = try await resolve(argument)
        let (route, job) = try await throughRoutes(entry) { session, domain throws(BackendError) in
            try await session.perform(action, on: .uuid(domain.uuid))
        }
        logger.info("action", metadata: ["action": "\(action.rawValue)", "domain": "\(entry.record.name)", "route": "\(route)"])
        return ActionResult(domain: entry.record.name, action: action, route: route, job: job)
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

    private var names: String { supervisors.map(\.configuration.name).joined(separator: ", ") }

    /// Every backend's VMs, merged: from the cache where its data is fresh enough, live
    /// otherwise (a full live listing also refreshes the cache).
    /// The generation is the cache's when every backend's part came from it, else nil.
    private func namespace(detail: ListingDetail = .full, maxAge: Duration? = nil)
        async -> (Namespace, [BackendFailure], [BackendFreshness], generation: Int?) {
        var cached: [Int: (domains: [Domain], age: Duration)] = [:]
        let generation = cache.generation
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
            if detail == .full, case .success(let domains) = result { record(domains, of: supervisors[index].name, startedAt: started) }
        }
        for (index, hit) in cached { answers[index] = .success((hit.domains, hit.age)) }
        var sources: [Namespace.Source] = []
        var failures: [BackendFailure] = []
        var freshness: [BackendFreshness] = []
        for (index, supervisor) in supervisors.enumerated() {
            switch answers[index]! {
            case .success(let (domains, age)):
                sources.append(Namespace.Source(backend: supervisor.name, routeKind: type(of: supervisor.plugin).routeKind, domains: domains))
                freshness.append(BackendFreshness(backend: supervisor.name, ageMs: age.map { Int(Self.seconds($0) * 1000) } ?? 0,
                                                  source: age == nil ? .live : .cache))
            case .failure(let error):
                failures.append(BackendFailure(backend: supervisor.name, error))
            }
        }
        guard live.isEmpty, failures.isEmpty else {
            return (Namespace(sources: sources, prefer: configuration.preferredRoute), failures, freshness, nil)
        }
        // Everything came from the cache: the merge is kept until the cache changes (the
        // generation was read before the cache was, so a change in between only costs a merge).
        if let memo = cachedNamespace, memo.generation == generation { return (memo.namespace, failures, freshness, generation) }
        let namespace = Namespace(sources: sources, prefer: configuration.preferredRoute)
        cachedNamespace = (generation, namespace)
        return (namespace, failures, freshness, generation)
    }

    private func resolve(_ argument: String) async throws(BackendError) -> Namespace.Entry {
        let (namespace, failures, _, _) = await namespace()
        do {
            return try namespace.resolve(argument)
        } catch where error.code == .notFound && !failures.isEmpty {
            let down = failures.map { "\($0.backend) (\($0.message))" }.joined(separator: "; ")
            throw BackendError(.notFound, "\(error.message); backends not answering: \(down)")
        }
    }

    /// Tries each route in order; only an unavailable backend moves on to the next.
    private func throughRoutes<T: Sendable>(
        _ entry: Namespace.Entry,
        _ operation: @escaping @Sendable (any BackendSession, Domain) async throws(BackendError) -> T
    ) async throws(BackendError) -> (route: String, value: T) {
        var lastError = BackendError(.backendUnavailable, "no route to \(entry.record.name)")
        for route in entry.routes {
            guard let supervisor = supervisors.first(where: { $0.configuration.name == route.backend }) else { continue }
            do {
                let domain = route.domain
                return (route.backend, try await bounded(supervisor) { session throws(BackendError) in try await operation(session, domain) })
            } catch where error.code == .backendUnavailable || error.code == .timeout {
                lastError = error
            }
        }
        throw lastError
    }

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
    private func fanOut<T: Sendable>(
        _ targets: [BackendSupervisor],
        _ operation: @escaping @Sendable (any BackendSession) async throws(BackendError) -> T
    ) async -> [(String, Result<T, BackendError>)] {
        await withTaskGroup(of: (Int, Result<T, BackendError>).self) { group in
            for (index, supervisor) in targets.enumerated() {
                group.addTask {
                    do throws(BackendError) {
                        return (index, .success(try await self.bounded(supervisor, operation)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [Result<T, BackendError>?](repeating: nil, count: targets.count)
            for await (index, result) in group { results[index] = result }
            return targets.enumerated().map { ($1.configuration.name, results[$0]!) }
        }
    }

    private static func matches(_ glob: String, _ name: String) -> Bool {
        fnmatch(glob, name, 0) == 0
    }
}
