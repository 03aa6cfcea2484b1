import Broker
import BrokerAPI
import BrokerCore
import Federation
import Foundation
import Logging
import StateStore
import Synchronization

/// This daemon as one node of a cluster. Every third of a lease it says it is alive, renews
/// the leases it holds, and takes or gives up backends so that each is held by the node
/// `Placement` names (a backend whose holder died is taken once its lease has run out); then
/// the broker opens sessions to exactly the backends it holds, and closes the others. A change
/// is sent only while this node surely holds the backend's lease (`MutationFence`): a node
/// that cannot reach the store keeps its sessions and answers reads from them, but sends no
/// change once its leases could have run out. Apart from the rounds (a slow exchange of a large
/// inventory must not cost a lease) it publishes what it read of its backends and refreshes its
/// copy of what the others published (`PeerInventory`, merged into the broker's listings); each
/// round it takes the changes other nodes handed to it (`ClusterNode+Forwarding`), and its
/// events go to the others' subscribers and theirs to its own (`EventRelay`). Leaving (graceful
/// shutdown) gives everything up at once for the others to take.
public final class ClusterNode: ClusterMembership, PeerInventory {
    /// What the node holds.
    struct Held: Sendable {
        var generation: Int64
        /// Until when it surely holds it (the store renewed it after the round began, and a
        /// quarter of the lease is kept as a margin).
        var validUntil: ContinuousClock.Instant
    }

    /// What was last published of a backend held here.
    struct Published: Sendable {
        var hash: Int
        var at: Date
        var revision: Int
        var generation: Int64
    }

    /// This node's copy of a backend another node holds.
    struct PeerCopy: Sendable {
        var node: String
        var routeKind: RouteKind
        var version: Int64
        var domains: [Domain]
        var ageMilliseconds: Int
        var fetched: ContinuousClock.Instant
    }

    struct State: Sendable {
        var configuration: BrokerConfiguration
        var held: [String: Held] = [:]
        var storeReachable = false
        var applied: Set<String>?
        /// The backends the broker has sessions to: `applied` once the broker has applied it.
        var sessions: Set<String> = []
        var round: Task<Void, Never>?
        var published: [String: Published] = [:]
        var peers: [String: PeerCopy] = [:]
        /// Who else holds what, as of the last round.
        var holders: [String: String] = [:]
        /// Where handed changes run.
        var service: FederationService?
        /// What the last finished round saw, for `health`.
        var lastRound: Duration?
        var nodesAlive = 0
        var nodesDown = 0
        var unheld = 0
        var rounds = 0
    }

    /// Its name and site.
    public let settings: ClusterConfiguration
    let store: PostgresStore
    private let table: LeaseTable
    private let inventory: InventoryTable
    let commands: CommandTable
    let events: EventRelay
    let broker: Broker
    let logger: Logger
    let state: Mutex<State>
    /// Wakes the task that gives the broker the backends held (`applyHeld`), apart from the
    /// rounds: opening or closing hundreds of sessions must not delay a renewal.
    private let applyWake: AsyncStream<Void>.Continuation
    private let applyWakes: AsyncStream<Void>

    /// A node of the cluster `settings` describes, for the backends of `configuration`, whose
    /// sessions `broker` holds.
    public init(settings: ClusterConfiguration, configuration: BrokerConfiguration, store: PostgresStore, broker: Broker, logger: Logger) {
        self.settings = settings
        self.store = store
        table = LeaseTable(store: store)
        inventory = InventoryTable(store: store)
        commands = CommandTable(store: store)
        events = EventRelay(node: settings.node, store: store, logger: logger)
        self.broker = broker
        self.logger = logger
        state = Mutex(State(configuration: configuration))
        (applyWakes, applyWake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    var lease: Duration { .milliseconds(settings.leaseMilliseconds) }

    /// Rounds until cancelled, then leaves.
    public func run() async {
        await broker.setPeers(self)
        let listener = Task { await listenForCommands() }
        // Events go to the other nodes' subscribers, and theirs come to this node's.
        let events = self.events, broker = self.broker
        broker.observeEvents { events.send($0) }
        let eventTasks = [Task { await events.runSender() },
                          Task { await events.runListener { broker.publishRelayed($0) } }]
        let inventorySync = Task { await syncInventory() }
        let applier = Task { [applyWakes] in
            for await _ in applyWakes {
                await applyHeld()
                await takeCommands()
            }
        }
        var first = true
        while !Task.isCancelled {
            let finished = await round(first: first)
            if finished { first = false }
            applyWake.yield()
            try? await Task.sleep(for: lease / 3)
        }
        listener.cancel()
        broker.observeEvents(nil)
        for task in eventTasks + [inventorySync, applier] { task.cancel() }
        // Not in this cancelled task: the store calls of leaving must run.
        await Task { await leave() }.value
    }

    /// A new configuration (SIGHUP): the backends of the cluster; sessions follow at once.
    public func update(_ configuration: BrokerConfiguration) async {
        state.withLock { $0.configuration = configuration; $0.applied = nil }
        applyWake.yield()
    }

    public var backendNames: Set<String> {
        state.withLock { Set($0.configuration.backends.map(\.name)) }
    }

    public func uri(of backend: String) -> BackendURI? {
        state.withLock { $0.configuration.backends.first { $0.name == backend }?.uri }
    }

    public func peerSources(excluding held: Set<String>) -> [PeerSource] {
        let now = ContinuousClock.now
        return state.withLock { state in
            state.configuration.backends.compactMap { backend in
                guard !held.contains(backend.name), let copy = state.peers[backend.name] else { return nil }
                return PeerSource(backend: backend.name, routeKind: copy.routeKind, domains: copy.domains,
                                  age: .milliseconds(copy.ageMilliseconds) + (now - copy.fetched), node: copy.node)
            }
        }
    }

    public func refusal(toChange backend: String) -> BackendError? {
        let (held, reachable, holder) = state.withLock { ($0.held[backend], $0.storeReachable, $0.peers[backend]?.node) }
        if let held, held.validUntil > .now { return nil }
        var error = BackendError(.backendUnavailable, held == nil
            ? "node \(settings.node) does not hold backend \(backend) now" + (holder.map { " (node \($0) does: send the change there)" } ?? "")
                + "; the change was not sent"
            : "node \(settings.node) cannot be sure it still holds backend \(backend)"
                + (reachable ? "" : " (the cluster's store cannot be reached)") + "; the change was not sent", backend: backend)
        error.provablyNotSent = true
        return error
    }

    /// The cluster as the store has it now.
    public func status() async throws(BackendError) -> ClusterStatus {
        let started = ContinuousClock.now
        try await store.store("answer") { [store, logger] in _ = try await store.client.query("SELECT 1", logger: logger) }
        let latency = ContinuousClock.now - started
        let nodes = try await table.nodes()
        let leases = try await table.leases()
        let configured = state.withLock { $0.configuration.backends.map(\.name) }
        let live = leases.filter { $0.expiresInMilliseconds > 0 }
        let held = Dictionary(grouping: live, by: \.node).mapValues { $0.map(\.backend).sorted() }
        let heldNames = Set(live.map(\.backend))
        let records = nodes.map { node in
            ClusterStatus.Node(name: node.name, site: node.site, heartbeatAgeMilliseconds: node.heartbeatAgeMilliseconds,
                               alive: !node.stopping && node.heartbeatAgeMilliseconds < settings.leaseMilliseconds, backends: held[node.name] ?? [])
        }.sorted { ($0.alive ? 0 : 1, $0.name) < ($1.alive ? 0 : 1, $1.name) }
        return ClusterStatus(
            node: settings.node, store: store.location.description,
            storeLatencyMilliseconds: latency.inSeconds * 1000,
            nodes: records,
            leases: leases.map { ClusterStatus.Lease(backend: $0.backend, node: $0.node, generation: $0.generation, expiresInMilliseconds: $0.expiresInMilliseconds) },
            unowned: configured.filter { !heldNames.contains($0) })
    }

    // MARK: - Rounds

    /// One round against the store, given at most a third of a lease: past that the store is
    /// taken as unreachable for this round (the round goes on and its result still counts).
    /// True when the round finished.
    private func round(first: Bool) async -> Bool {
        let running = state.withLock { current -> Task<Void, Never> in
            if let round = current.round { return round }
            // Ahead of the listings and the inventory's coding: a late round can cost a lease.
            let task = Task(priority: .high) { [self] in
                do throws(BackendError) {
                    let began = ContinuousClock.now
                    try await exchange(first: first)
                    state.withLock { $0.storeReachable = true; $0.round = nil; $0.lastRound = ContinuousClock.now - began }
                } catch {
                    let was = state.withLock { after -> Bool in
                        defer { after.storeReachable = false; after.round = nil }
                        return after.storeReachable
                    }
                    if was || first { logger.warning("cluster store unreachable; changes stop once leases may have run out", metadata: ["error": "\(error.message)"]) }
                }
            }
            current.round = task
            return task
        }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await running.value; return true }
            group.addTask { [lease] in try? await Task.sleep(for: lease / 3); return false }
            let finished = await group.next() ?? false
            group.cancelAll()
            return finished
        }
    }

    /// Heartbeat, renewal, placement, taking and giving up: small statements only, so that a
    /// loaded store or a large inventory never delays a renewal. A node's first round only says
    /// it is alive: nodes started together see each other before any takes its share (else the
    /// first to start would open every session, to give two thirds of them up a round later).
    private func exchange(first: Bool) async throws(BackendError) {
        let began = ContinuousClock.now
        let validUntil = began + lease * 3 / 4
        let me = settings.node
        try await table.heartbeat(node: me, site: settings.site, starting: first)
        let renewed = try await table.renew(node: me, milliseconds: settings.leaseMilliseconds)
        let nodes = try await table.nodes()
        let leases = Dictionary(try await table.leases().map { ($0.backend, $0) }, uniquingKeysWith: { first, _ in first })
        state.withLock { state in
            state.holders = leases.values.filter { $0.expiresInMilliseconds > 0 && $0.node != me }
                .reduce(into: [:]) { $0[$1.backend] = $1.node }
        }
        let live = nodes.filter { !$0.stopping && $0.heartbeatAgeMilliseconds < settings.leaseMilliseconds }
            .map { Placement.Node(name: $0.name, site: $0.site) }
        let heldAnywhere = Set(leases.values.filter { $0.expiresInMilliseconds > 0 }.map(\.backend))
        state.withLock { state in
            state.nodesAlive = live.count
            state.nodesDown = nodes.count - live.count
            state.unheld = state.configuration.backends.filter { !heldAnywhere.contains($0.name) }.count
        }
        let placement = Placement(nodes: live.contains { $0.name == me } ? live : live + [Placement.Node(name: me, site: settings.site)])
        let backends = state.withLock { $0.configuration.backends }
        var take: [String] = [], giveUp: [String] = []
        for backend in backends {
            let owner = placement.owner(of: backend.name, site: backend.site)
            if !first, owner == me, renewed[backend.name] == nil, (leases[backend.name]?.expiresInMilliseconds ?? 0) <= 0 {
                take.append(backend.name)
            } else if owner != me, renewed[backend.name] != nil {
                giveUp.append(backend.name)
            }
        }
        let configured = Set(backends.map(\.name))
        giveUp += renewed.keys.filter { !configured.contains($0) }
        // No change is sent to a backend given up from now on; its lease is released once its
        // session is closed (until then this node keeps renewing it), so two nodes never hold
        // one backend's session — and the round never waits for the sessions to close.
        var keep = renewed
        for name in giveUp { keep[name] = nil }
        let sessions = state.withLock { state in
            state.held = keep.mapValues { Held(generation: $0, validUntil: validUntil) }
            return state.sessions
        }
        let closed = giveUp.filter { !sessions.contains($0) }
        if closed.count < giveUp.count { applyWake.yield() }
        if !closed.isEmpty {
            try await table.release(closed, node: me)
            logger.info("cluster: backends handed over", metadata: ["backends": "\(closed.sorted())"])
        }
        let taken = try await table.acquire(take, node: me, milliseconds: settings.leaseMilliseconds)
        if !taken.isEmpty {
            state.withLock { state in
                for (name, generation) in taken { state.held[name] = Held(generation: generation, validUntil: validUntil) }
            }
            logger.info("cluster: backends taken", metadata: ["backends": "\(taken.keys.sorted())"])
            try await table.orphanJobs(on: Array(taken.keys), takenBy: me)
        }
        let housekeeping = state.withLock { state in
            state.rounds += 1
            return state.rounds % Self.housekeepingRounds == 1
        }
        if housekeeping {
            try await commands.trim()
            try await table.forgetRetiredNodes()
        }
    }

    /// Every this many rounds (about five minutes at the default lease), settled hand-overs and
    /// retired nodes are cleared from the store.
    static let housekeepingRounds = 150

    /// Writes what the broker has of each backend held here that is newer than what was
    /// published: the VMs when they changed (by a refresh or an event), else only the time of
    /// the last read.
    func publish() async throws(BackendError) {
        let held = state.withLock { $0.held }
        for read in await broker.lastRead(Set(held.keys)) {
            guard let generation = held[read.backend]?.generation else { continue }
            let last = state.withLock { $0.published[read.backend] }
            if let last, last.at == read.at, last.revision == read.revision, last.generation == generation { continue }
            var json: String?
            var hash = last?.hash ?? 0
            if last == nil || last?.revision != read.revision || last?.generation != generation {
                guard let text = await InventoryCoding.encode(read.domains) else { continue }
                if last == nil || last?.hash != text.hashValue || last?.generation != generation { json = text }
                hash = text.hashValue
            }
            let written = try await inventory.publish(read.backend, node: settings.node, generation: generation, routeKind: read.routeKind.rawValue,
                                                      json: json, at: read.at)
            state.withLock { state in
                state.published[read.backend] = written ? Published(hash: hash, at: read.at, revision: read.revision, generation: generation) : nil
            }
        }
    }

    /// Publishes and copies inventory every round's interval, apart from the rounds: at a
    /// thousand backends an exchange can take longer than a round, and that must not cost a
    /// lease. A failure leaves the copies as they were (listings say how old they are).
    private func syncInventory() async {
        var failing = false
        while !Task.isCancelled {
            do throws(BackendError) {
                try await publish()
                try await refreshPeers()
                if failing { logger.info("cluster: the inventory is exchanged with the store again") }
                failing = false
            } catch {
                if !failing {
                    logger.warning("cluster: the inventory could not be exchanged with the store; the others' backends are listed as last copied",
                                   metadata: ["error": "\(error.message)"])
                }
                failing = true
            }
            try? await Task.sleep(for: lease / 3)
        }
    }

    /// How many backends' VMs one read of the store brings.
    static let copyBatch = 50

    /// Brings this node's copies of the backends others hold up to the store's versions,
    /// reading the VMs only of those that changed. Runs in every round, and after every answer
    /// to a change this node handed over.
    func refreshPeers() async throws(BackendError) {
        let headers = try await inventory.headers()
        let (held, configured, copies) = state.withLock { state in
            (Set(state.held.keys), Set(state.configuration.backends.map(\.name)), state.peers)
        }
        let wanted = headers.filter { configured.contains($0.backend) && !held.contains($0.backend) }
        let changed = wanted.filter { copies[$0.backend]?.version != $0.version }.map(\.backend)
        // In batches, each within the store's deadline; what came before a failure is kept.
        var fetched: [String: (version: Int64, domains: [Domain])] = [:]
        var failure: BackendError?
        for start in stride(from: 0, to: changed.count, by: Self.copyBatch) {
            do throws(BackendError) {
                let batch = try await inventory.domains(of: Array(changed[start..<min(start + Self.copyBatch, changed.count)]))
                fetched.merge(batch) { $1 }
            } catch {
                failure = error
                break
            }
        }
        let now = ContinuousClock.now
        var peers: [String: PeerCopy] = [:]
        for header in wanted {
            if let (version, domains) = fetched[header.backend] {
                peers[header.backend] = PeerCopy(node: header.node, routeKind: RouteKind(rawValue: header.routeKind) ?? .direct, version: version,
                                                 domains: domains, ageMilliseconds: header.ageMilliseconds, fetched: now)
            } else if var copy = copies[header.backend] {
                if copy.version == header.version { (copy.node, copy.ageMilliseconds, copy.fetched) = (header.node, header.ageMilliseconds, now) }
                peers[header.backend] = copy
            }
        }
        state.withLock { state in
            // A refresh that began earlier (a round's, crossing one made for an answer) does not
            // put back an older copy.
            for (backend, copy) in peers {
                if let current = state.peers[backend], current.version > copy.version { peers[backend] = current }
            }
            state.peers = peers
        }
        if let failure { throw failure }
    }

    /// Gives the broker exactly the backends held — unless the store is unreachable, when the
    /// sessions stay (for reads) and the fence alone stops changes.
    private func applyHeld() async {
        let next = state.withLock { state -> BrokerConfiguration? in
            guard state.storeReachable || state.applied == nil else { return nil }
            let names = Set(state.held.keys)
            guard names != state.applied else { return nil }
            state.applied = names
            var configuration = state.configuration
            configuration.backends = configuration.backends.filter { names.contains($0.name) }
            return configuration
        }
        guard let next else { return }
        do {
            _ = try await broker.apply(next)
            let names = Set(next.backends.map(\.name))
            state.withLock { $0.sessions = names }
        } catch {
            state.withLock { $0.applied = nil }
            logger.error("cluster: the backends held could not be applied", metadata: ["error": "\(error.message)"])
        }
    }

    /// Gives everything up: no more changes, sessions closed, leases released, and the node
    /// marked as stopping, so that the others take its backends at once.
    private func leave() async {
        let held = state.withLock { state -> [String] in
            defer { state.held = [:]; state.storeReachable = true }
            return Array(state.held.keys)
        }
        await applyHeld()
        do throws(BackendError) {
            try await table.release(held, node: settings.node)
            try await table.markStopping(node: settings.node)
            logger.info("cluster: left", metadata: ["released": "\(held.count)"])
        } catch {
            logger.warning("cluster: leaving without releasing; the leases run out by themselves", metadata: ["error": "\(error.message)"])
        }
    }
}
