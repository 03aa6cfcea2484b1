import BrokerAPI
import BrokerCore
import Logging
import InMemoryPlugin
import Testing
@testable import Broker

@Suite("The broker engine: fan-out, deadlines, partial results, reconnects")
struct BrokerTests {
    let a = InMemoryPlugin.Backend([.vm("web", "00000000-0000-0000-0000-0000000000a1"), .vm("off", "00000000-0000-0000-0000-0000000000a2", .shutoff)])
    let b = InMemoryPlugin.Backend([.vm("db", "00000000-0000-0000-0000-0000000000b1")])

    /// `timeout` is b's deadline; a's is the same unless `timeoutA` says otherwise.
    func broker(timeout: Int = 5000, timeoutA: Int? = nil, concurrency: Int = 8) throws -> Broker {
        let plugin = InMemoryPlugin(["a": a, "b": b])
        let config = BrokerConfiguration(backends: [
            BackendConfiguration(name: "a", uri: try BackendURI(parsing: "mem://a/"), timeoutMilliseconds: timeoutA ?? timeout, maxConcurrency: concurrency),
            BackendConfiguration(name: "b", uri: try BackendURI(parsing: "mem://b/"), timeoutMilliseconds: timeout, maxConcurrency: concurrency),
        ])
        return try Broker(configuration: config, registry: PluginRegistry([plugin]), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    @Test func listsActiveByDefaultAndEverythingWithAll() async throws {
        let broker = try broker()
        #expect(await broker.listDomains().domains.map(\.name) == ["a/web", "b/db"])
        #expect(await broker.listDomains(DomainFilter(all: true)).domains.map(\.name) == ["a/web", "a/off", "b/db"])
        #expect(await broker.listDomains(DomainFilter(all: true, backend: "b")).domains.map(\.name) == ["b/db"])
        #expect(await broker.listDomains(DomainFilter(all: true, state: .shutoff)).domains.map(\.name) == ["a/off"])
        #expect(await broker.listDomains(DomainFilter(all: true, name: "w*")).domains.map(\.name) == ["a/web"])
        #expect(await broker.listDomains(DomainFilter(all: true, name: "b/*")).domains.map(\.name) == ["b/db"])
    }

    @Test func aHangingBackendIsCutAtItsDeadlineAndTheOthersAnswer() async throws {
        // The healthy backend gets a long deadline, so a loaded machine cannot make it miss.
        let broker = try broker(timeout: 300, timeoutA: 20_000)
        b.behaviour.withLock { $0 = .hang }
        let started = ContinuousClock.now
        let list = await broker.listDomains()
        let elapsed = ContinuousClock.now - started
        #expect(list.domains.map(\.name) == ["a/web"])
        #expect(list.errors == [BackendFailure(backend: "b", code: .timeout, message: "backend b did not answer within 300 ms")])
        // Behaviour, not speed: the call returned without waiting for the hung backend.
        #expect(elapsed < .seconds(30))
        // The hung connection attempt is abandoned: once the backend answers again, a fresh
        // attempt succeeds although the first one never returns.
        b.behaviour.withLock { $0 = .normal }
        var recovered = false
        for _ in 0..<100 where !recovered {
            try await Task.sleep(for: .milliseconds(50))
            recovered = await broker.listDomains().errors.isEmpty
        }
        #expect(recovered)
        #expect(b.opens.load(ordering: .relaxed) >= 2)
    }

    @Test func aRefusingBackendGivesAnErrorEntryThenRecovers() async throws {
        let broker = try broker()
        b.behaviour.withLock { $0 = .refuse }
        let first = await broker.listDomains()
        #expect(first.domains.map(\.name) == ["a/web"])
        #expect(first.errors.map(\.code) == [.backendUnavailable])
        #expect(await broker.backends().map(\.status) == [.up, .down])
        b.behaviour.withLock { $0 = .normal }
        // Backoff first waits ≥100 ms; poll until the backend is back.
        var recovered = false
        for _ in 0..<100 where !recovered {
            try await Task.sleep(for: .milliseconds(50))
            recovered = await broker.listDomains().errors.isEmpty
        }
        #expect(recovered)
        #expect(await broker.backends().map(\.status) == [.up, .up])
    }

    @Test func aDroppedSessionReconnects() async throws {
        let broker = try broker()
        _ = await broker.listDomains()
        #expect(a.opens.load(ordering: .relaxed) == 1)
        a.alive.store(false, ordering: .relaxed)
        let list = await broker.listDomains()
        #expect(list.errors.isEmpty)
        #expect(a.opens.load(ordering: .relaxed) == 2)
    }

    @Test func concurrentCallersShareOneConnectionAttempt() async throws {
        let broker = try broker()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { _ = await broker.listDomains() } }
        }
        #expect(a.opens.load(ordering: .relaxed) == 1)
    }

    @Test func actionsGoThroughTheRouteAndErrorsKeepTheirCodes() async throws {
        let broker = try broker()
        let result = try await broker.perform(.start, on: "off")
        #expect(result.route == "a")
        #expect(result.job.resultingState == .running)
        await #expect(throws: BackendError(.invalidState, "domain is already running", backend: "a")) {
            try await broker.perform(.start, on: "a/off")
        }
        // A backend without XML of its own gets a definition synthesized in libvirt's schema.
        let xml = try await broker.xml("a/web")
        #expect(xml.hasPrefix("<domain type='test'>\n  <name>a/web</name>\n  <uuid>00000000-0000-0000-0000-0000000000a1</uuid>"))
        await #expect(throws: BackendError(.notFound, "no backend named 'zz'; backends: a, b")) {
            try await broker.nodeInfo(backend: "zz")
        }
    }

    @Test func anActionFallsBackToTheNextRouteWhenTheFirstIsDown() async throws {
        let shared = "00000000-0000-0000-0000-00000000cafe"
        a.domains.withLock { $0.append(.vm("twin", shared, .shutoff)) }
        b.domains.withLock { $0.append(.vm("twin", shared, .shutoff)) }
        let broker = try broker()
        _ = await broker.listDomains()
        // The VM is resolved with both routes, then route a dies before the action.
        a.alive.store(false, ordering: .relaxed)
        a.behaviour.withLock { $0 = .refuse }
        let result = try await broker.perform(.start, on: shared)
        #expect(result.route == "b")
    }

    @Test func notFoundMentionsBackendsThatDidNotAnswer() async throws {
        let broker = try broker()
        b.behaviour.withLock { $0 = .refuse }
        await #expect {
            try await broker.domain("db")
        } throws: { error in
            let error = error as! BackendError
            return error.code == .notFound && error.message.contains("backends not answering: b (connection refused)")
        }
    }

    @Test(arguments: [1, 4])
    func callsToOneBackendAreCappedAtItsConcurrency(limit: Int) async throws {
        let broker = try broker(concurrency: limit)
        a.behaviour.withLock { $0 = .slow(.milliseconds(100)) }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 { group.addTask { _ = await broker.listDomains() } }
        }
        // Never more than the limit; and calls did overlap up to it (on a loaded machine the
        // twelve may not all be in flight at once, so reaching it exactly is not required).
        let peak = a.peak.load(ordering: .relaxed)
        #expect(peak <= limit && peak >= min(limit, 2))
    }

    @Test func applyKeepsUnchangedBackendsAndReplacesTheRest() async throws {
        let broker = try broker()
        _ = await broker.listDomains()
        let next = BrokerConfiguration(backends: [
            BackendConfiguration(name: "a", uri: try BackendURI(parsing: "mem://a/")),
            BackendConfiguration(name: "b", uri: try BackendURI(parsing: "mem://b/"), timeoutMilliseconds: 999),
        ])
        let change = try await broker.apply(next)
        #expect(change.kept == ["a"])
        #expect(change.changed == ["b"])
        #expect(change.added.isEmpty && change.removed.isEmpty)
        #expect(a.opens.load(ordering: .relaxed) == 1)
        #expect(b.opens.load(ordering: .relaxed) == 2)
    }

    @Test func aSlowBackendKeepsItsSessionAndIsReportedAsTimingOut() async throws {
        let broker = try broker(timeout: 100, timeoutA: 20_000)
        _ = await broker.listDomains()
        // On a loaded machine even the first listing may miss 100 ms: count from here.
        let before = await broker.inventory().first { $0.backend == "b" }?.timeouts ?? 0
        b.behaviour.withLock { $0 = .slow(.milliseconds(400)) }
        for _ in 0..<3 {
            let list = await broker.listDomains()
            #expect(list.errors.map(\.code) == [.timeout])
        }
        // Slow is not dead: no session was dropped or reopened.
        #expect(b.opens.load(ordering: .relaxed) == 1)
        #expect(await broker.inventory().first { $0.backend == "b" }?.timeouts == before + 3)
        #expect(await broker.backends().first { $0.name == "b" }?.status == .up)
        b.behaviour.withLock { $0 = .normal }
        try await Task.sleep(for: .milliseconds(500))  // the slow calls end
        #expect(await broker.listDomains().errors.isEmpty)
        #expect(b.opens.load(ordering: .relaxed) == 1)
    }

    @Test func callsStuckOnASessionThatDiesDoNotStarveTheNextOne() async throws {
        let broker = try broker(timeout: 200, concurrency: 2)
        _ = await broker.listDomains()
        // Calls on the first session never return; they hold both slots, and time out.
        a.behaviour.withLock { $0 = .stuckBefore(2) }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { _ = await broker.listDomains() } }
        }
        #expect(a.opens.load(ordering: .relaxed) == 1)
        // The session then shows it is dead (a keepalive failure): it is dropped, and the next
        // one must not wait for the stuck calls.
        a.alive.store(false, ordering: .relaxed)
        var recovered = false
        for _ in 0..<100 where !recovered {
            try await Task.sleep(for: .milliseconds(50))
            recovered = await broker.listDomains().errors.isEmpty
        }
        #expect(recovered)
        #expect(a.opens.load(ordering: .relaxed) >= 2)
        a.behaviour.withLock { $0 = .normal }
    }
}

@Suite("The engine under many backends: bounded reconnects and refreshes")
struct EngineLimitsTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func twoHundredBackendsDyingAtOnceReconnectWithinTheDaemonWideLimits() async throws {
        let names = (0..<200).map { "h\($0)" }
        let backends = Dictionary(uniqueKeysWithValues: names.map { ($0, InMemoryPlugin.Backend([])) })
        let plugin = InMemoryPlugin(backends, openDuration: .milliseconds(5))
        let config = BrokerConfiguration(limits: EngineLimits(connectConcurrency: 4, connectsPerSecond: 100), backends: try names.map {
            BackendConfiguration(name: $0, uri: try BackendURI(parsing: "mem://\($0)/"), timeoutMilliseconds: 20_000)
        })
        let broker = try Broker(configuration: config, registry: PluginRegistry([plugin]), logger: Self.quiet)
        await broker.start()
        #expect(await broker.listDomains().errors.isEmpty)
        // Every session dies at once; the next listing reconnects all 200.
        for backend in backends.values { backend.alive.store(false, ordering: .relaxed) }
        plugin.openTimes.withLock { $0 = [] }
        let list = await broker.listDomains()
        #expect(list.errors.isEmpty)
        let times = plugin.openTimes.withLock { $0 }.sorted()
        #expect(times.count == 200)
        #expect(plugin.peakOpening.load(ordering: .relaxed) <= 4)
        // No second holds more than the bucket's second of tokens plus one second's refill.
        for (index, start) in times.enumerated() {
            let within = times[index...].prefix { $0 - start < .seconds(1) }.count
            #expect(within <= 200, "\(within) opens within a second")
        }
        #expect(times.last! - times.first! >= .milliseconds(900))  // 200 opens at 100/s, 100 of them from the bucket
    }

    @Test func refreshesNeverOverlapForOneBackendAndWaitForAPlace() async throws {
        let slow = InMemoryPlugin.Backend([.vm("x", "00000000-0000-0000-0000-0000000000f1")])
        slow.behaviour.withLock { $0 = .slow(.milliseconds(30)) }
        let others = (0..<6).map { _ in InMemoryPlugin.Backend([]) }
        for backend in others { backend.behaviour.withLock { $0 = .slow(.milliseconds(30)) } }
        var table = ["s": slow]
        for (index, backend) in others.enumerated() { table["o\(index)"] = backend }
        let plugin = InMemoryPlugin(table)
        let config = BrokerConfiguration(limits: EngineLimits(refreshConcurrency: 2), backends: try table.keys.sorted().map {
            BackendConfiguration(name: $0, uri: try BackendURI(parsing: "mem://\($0)/"), pollIntervalMilliseconds: 1)
        })
        let broker = try Broker(configuration: config, registry: PluginRegistry([plugin]), logger: Self.quiet)
        let maintenance = Task { await broker.maintain(every: .milliseconds(50)) }
        // Until every backend has been refreshed a few times (bounded, for a loaded machine).
        for _ in 0..<200 {
            try await Task.sleep(for: .milliseconds(50))
            if await broker.inventory().allSatisfy({ $0.refreshedAt != nil }) && slow.opens.load(ordering: .relaxed) > 0 { break }
        }
        try await Task.sleep(for: .milliseconds(500))
        maintenance.cancel()
        _ = await maintenance.value
        #expect(slow.peak.load(ordering: .relaxed) == 1)
        // Seven backends, two places, a 1 ms interval: each refresh waited for its turn.
        let lags = await broker.inventory().map(\.refreshLagSeconds)
        #expect(lags.contains { $0 > 0.005 }, "\(lags)")
    }
}
