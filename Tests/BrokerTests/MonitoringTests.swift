import BrokerAPI
import BrokerCore
import Logging
import Synchronization
import InMemoryPlugin
import Testing
@testable import Broker

@Suite("The inventory cache and the federated event stream")
struct MonitoringTests {
    let a = InMemoryPlugin.Backend([.vm("web", "00000000-0000-0000-0000-0000000000a1"), .vm("off", "00000000-0000-0000-0000-0000000000a2", .shutoff)])
    let b = InMemoryPlugin.Backend([.vm("db", "00000000-0000-0000-0000-0000000000b1")])

    func broker(poll: Int = 50) throws -> Broker {
        let plugin = InMemoryPlugin(["a": a, "b": b])
        let config = BrokerConfiguration(backends: [
            BackendConfiguration(name: "a", uri: try BackendURI(parsing: "mem://a/"), timeoutMilliseconds: 500, pollIntervalMilliseconds: poll),
            BackendConfiguration(name: "b", uri: try BackendURI(parsing: "mem://b/"), timeoutMilliseconds: 500, pollIntervalMilliseconds: poll),
        ])
        return try Broker(configuration: config, registry: PluginRegistry([plugin]), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// The next `count` events, or fewer if `seconds` pass first.
    func next(_ count: Int, of stream: AsyncStream<BrokerEvent>, within seconds: Double = 5) async -> [BrokerEvent] {
        await withTaskGroup(of: [BrokerEvent].self) { group in
            group.addTask {
                var got: [BrokerEvent] = []
                for await event in stream {
                    got.append(event)
                    if got.count == count { break }
                }
                return got
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return []
            }
            let first = await group.next() ?? []
            group.cancelAll()
            return first
        }
    }

    /// What the stream delivers up to and including the first event that `match`es (nothing,
    /// if `seconds` pass first; the stream then ends).
    func events(_ stream: AsyncStream<BrokerEvent>, until match: @escaping @Sendable (BrokerEvent) -> Bool,
                within seconds: Double = 10) async -> [BrokerEvent] {
        await withTaskGroup(of: [BrokerEvent]?.self) { group in
            group.addTask {
                var got: [BrokerEvent] = []
                for await event in stream {
                    got.append(event)
                    if match(event) { return got }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? []
        }
    }

    /// Everything the stream delivers within `seconds`.
    func collect(_ stream: AsyncStream<BrokerEvent>, for seconds: Double) async -> [BrokerEvent] {
        let got = Mutex<[BrokerEvent]>([])
        let reader = Task { for await event in stream { got.withLock { $0.append(event) } } }
        try? await Task.sleep(for: .seconds(seconds))
        reader.cancel()
        return got.withLock { $0 }
    }

    @Test func diffNamesEveryLifecycleChange() {
        let old: [Domain] = [.vm("r", "1"), .vm("p", "2"), .vm("gone", "3"), .vm("s", "4", .saved), .vm("c", "6", .running)]
        let new: [Domain] = [.vm("r", "1", .paused), .vm("p", "2", .shutoff), .vm("s", "4"), .vm("n", "5"), .vm("c", "6", .blocked)]
        let events = InventoryDiff.events(from: old, to: new).map { "\($0.name):\($0.type.rawValue):\($0.detail ?? "")" }
        #expect(events == ["r:suspended:paused", "p:stopped:shutdown", "s:started:restored", "n:defined:added", "n:started:booted", "gone:undefined:removed"])
        #expect(InventoryDiff.transition(from: .paused, to: .running)?.type == .resumed)
        #expect(InventoryDiff.transition(from: .running, to: .saved)?.type == .saved)
        #expect(InventoryDiff.transition(from: .saved, to: .shutoff) == nil)
    }

    @Test func aSlowSubscriberGetsALostNoticeInsteadOfUnboundedMemory() async {
        let hub = EventHub()
        let (_, slow) = hub.subscribe(EventFilter(), limit: 3)
        let record = { (n: Int) in BrokerEvent.backend(BackendEventRecord(time: "t\(n)", backend: "x", type: .up, message: nil)) }
        for n in 1...10 { hub.publish(record(n)) }
        // Three queued, seven counted; the notice comes once those three are read, even if
        // nothing else happens.
        #expect(await next(3, of: slow) == [record(1), record(2), record(3)])
        #expect(await next(1, of: slow) == [.lost(7)])
        hub.publish(record(11))
        #expect(await next(1, of: slow) == [record(11)])
        // Events after a loss come after its notice.
        for n in 12...20 { hub.publish(record(n)) }
        hub.publish(record(21))
        #expect(await next(4, of: slow) == [record(12), record(13), record(14), .lost(7)])
    }

    @Test func filtersPickBackendsDomainsAndTypes() {
        let event = DomainEventRecord(time: "t", backend: "a", domain: "a/web", uuid: "00000000-0000-0000-0000-0000000000a1", type: .started, detail: nil)
        #expect(EventFilter().admits(event))
        #expect(EventFilter(backends: ["a"], domains: ["web"], types: [.started]).admits(event))
        #expect(EventFilter(domains: ["00000000-0000-0000-0000-0000000000A1"]).admits(event))
        #expect(!EventFilter(backends: ["b"]).admits(event))
        #expect(!EventFilter(domains: ["a/db"]).admits(event))
        #expect(!EventFilter(types: [.stopped]).admits(event))
    }

    @Test func pollingTurnsChangesBehindTheBrokersBackIntoEvents() async throws {
        let broker = try broker()
        let (_, events) = broker.subscribe(EventFilter(backends: ["a"]))
        let monitoring = Task { await broker.maintain(every: .milliseconds(50)) }
        defer { monitoring.cancel() }
        // Wait for the first read, which announces nothing (nothing was known before it).
        for _ in 0..<100 where await broker.inventory().first?.refreshedAt == nil { try await Task.sleep(for: .milliseconds(10)) }
        a.domains.withLock { $0[1].state = .running }
        let got = await next(1, of: events)
        guard case .domain(let record) = got.first else {
            Issue.record("no event: \(got)")
            return
        }
        #expect(record.domain == "a/off" && record.type == .started && record.backend == "a")
    }

    @Test func aBackendGoingDownAndComingBackIsAnEventAndItsDataStaysMarkedStale() async throws {
        let broker = try broker()
        let (_, events) = broker.subscribe(EventFilter(backends: ["b"]))
        let monitoring = Task { await broker.maintain(every: .milliseconds(50)) }
        defer { monitoring.cancel() }
        for _ in 0..<100 where await broker.inventory().last?.refreshedAt == nil { try await Task.sleep(for: .milliseconds(10)) }
        b.behaviour.withLock { $0 = .refuse }
        b.alive.store(false, ordering: .relaxed)
        let down = await next(1, of: events)
        guard case .backend(let record) = down.first else {
            Issue.record("no backend event: \(down)")
            return
        }
        #expect(record.type == .down && record.backend == "b")
        let inventory = await broker.inventory()
        #expect(inventory[1].stale && !inventory[1].up && inventory[1].domains.map(\.name) == ["db"])
        #expect(inventory[0].up && !inventory[0].stale)
        // Cached answers never come from stale data: b is an error, a is from the cache.
        let list = await broker.listDomains(DomainFilter(all: true, maxAgeMs: 60_000))
        #expect(list.errors.map(\.backend) == ["b"])
        #expect(list.freshness.map(\.backend) == ["a"] && list.freshness.first?.source == .cache)
        b.behaviour.withLock { $0 = .normal }
        let up = await next(1, of: events, within: 10)
        #expect(up.first.map { if case .backend(let r) = $0 { r.type == .up } else { false } } == true)
    }

    @Test func aLiveListingSaysItIsLive() async throws {
        let broker = try broker()
        let list = await broker.listDomains(DomainFilter(all: true))
        #expect(list.freshness.map(\.source) == [.live, .live])
        #expect(list.freshness.map(\.ageMs) == [0, 0])
        // …and fills the cache, so a cached listing right after needs no backend.
        a.behaviour.withLock { $0 = .hang }
        defer { a.behaviour.withLock { $0 = .normal } }
        let cached = await broker.listDomains(DomainFilter(all: true, maxAgeMs: 60_000))
        #expect(cached.domains.map(\.name) == ["a/web", "a/off", "b/db"] && cached.errors.isEmpty)
    }

    @Test func cachedListingsCarryTheGenerationTheyWereMadeAtAndChangesMoveIt() async throws {
        let broker = try broker()
        let live = await broker.listing(DomainFilter(all: true))
        #expect(live.cacheGeneration == nil)
        let first = await broker.listing(DomainFilter(all: true, maxAgeMs: 60_000))
        let again = await broker.listing(DomainFilter(all: true, maxAgeMs: 30_000))
        #expect(first.cacheGeneration != nil && first.cacheGeneration == again.cacheGeneration)
        #expect(again.list.domains == first.list.domains && again.list.freshness.map(\.source) == [.cache, .cache])
        // Another filter at the same generation is its own answer.
        let active = await broker.listing(DomainFilter(maxAgeMs: 60_000))
        #expect(active.cacheGeneration == first.cacheGeneration && active.list.domains.map(\.name) == ["a/web", "b/db"])
        // A change read into the cache moves the generation, and the answer shows it.
        a.domains.withLock { $0[1].state = .running }
        _ = await broker.listing(DomainFilter(all: true))
        let after = await broker.listing(DomainFilter(all: true, maxAgeMs: 60_000))
        #expect(after.cacheGeneration != first.cacheGeneration)
        #expect(after.list.domains.first { $0.name == "a/off" }?.state == .running)
        // So does a new configuration, even before any backend is read again.
        let before = await broker.listing(DomainFilter(all: true, maxAgeMs: 60_000)).cacheGeneration
        try await broker.apply(BrokerConfiguration(preferredRoute: .manager, backends: [
            BackendConfiguration(name: "a", uri: try BackendURI(parsing: "mem://a/"), timeoutMilliseconds: 500, pollIntervalMilliseconds: 50),
            BackendConfiguration(name: "b", uri: try BackendURI(parsing: "mem://b/"), timeoutMilliseconds: 500, pollIntervalMilliseconds: 50),
        ]))
        let reconfigured = await broker.listing(DomainFilter(all: true, maxAgeMs: 60_000))
        #expect(reconfigured.cacheGeneration != before)
    }

    /// A broker over one backend with events, `c`, monitoring it, with a subscription.
    func eventfulBroker(_ backend: InMemoryPlugin.Backend, poll: Int = 20) async throws -> (Broker, AsyncStream<BrokerEvent>, Task<Void, Never>) {
        let broker = try Broker(
            configuration: BrokerConfiguration(backends: [
                BackendConfiguration(name: "c", uri: try BackendURI(parsing: "mem://c/"), timeoutMilliseconds: 500, pollIntervalMilliseconds: poll),
            ]),
            registry: PluginRegistry([InMemoryPlugin(["c": backend])]), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let (_, events) = broker.subscribe(EventFilter())
        let monitoring = Task { await broker.maintain(every: .milliseconds(50)) }
        // Listened to once a probe event gets through (the sink is the monitor's session's).
        for _ in 0..<200 {
            if await broker.inventory().first?.refreshedAt != nil,
               backend.send(DomainEvent(uuid: "00000000-0000-0000-0000-0000000000ff", name: "probe", type: .defined)) { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        return (broker, events, monitoring)
    }

    func changes(of domain: String, in events: [BrokerEvent]) -> [String] {
        events.compactMap { event -> String? in
            guard case .domain(let record) = event, record.domain == domain else { return nil }
            return record.type.rawValue
        }
    }

    @Test func aRereadThatFindsTheVMMovedOnAgainAnnouncesThat() async throws {
        // The backend says the VM was paused; by the time its re-read asks, it runs again (it
        // was resumed, and that event is lost). Subscribers were told "paused": they hear
        // "resumed" from the re-read. Polling is slow here, so only the re-read can tell.
        let eventful = InMemoryPlugin.Backend([.vm("web", "00000000-0000-0000-0000-0000000000c1")], events: true)
        let (_, events, monitoring) = try await eventfulBroker(eventful, poll: 60_000)
        defer { monitoring.cancel() }
        eventful.send(DomainEvent(uuid: "00000000-0000-0000-0000-0000000000c1", name: "web", type: .suspended, detail: "paused"))
        let got = await self.events(events, until: { if case .domain(let record) = $0 { record.type == .resumed } else { false } })
        #expect(changes(of: "c/web", in: got) == ["suspended", "resumed"], "\(got)")
    }

    @Test func aChangeAnnouncedWhileTheBackendFellAwayIsSetRightWhenItComesBack() async throws {
        // The backend says the VM was paused and then stops answering, so the event's re-read
        // fails; it comes back (restarted) with the VM running. The cache never saw it paused,
        // but subscribers were told so: they hear "resumed".
        let eventful = InMemoryPlugin.Backend([.vm("web", "00000000-0000-0000-0000-0000000000c1")], events: true)
        let (_, events, monitoring) = try await eventfulBroker(eventful)
        defer { monitoring.cancel() }
        eventful.behaviour.withLock { $0 = .refuse }
        eventful.send(DomainEvent(uuid: "00000000-0000-0000-0000-0000000000c1", name: "web", type: .suspended, detail: "paused"))
        eventful.alive.store(false, ordering: .relaxed)
        let down = await self.events(events, until: { if case .backend(let record) = $0 { record.type == .down } else { false } })
        eventful.behaviour.withLock { $0 = .normal }
        // Back after the reconnect backoff; then its re-read announces the change.
        let up = await self.events(events, until: { if case .domain(let record) = $0 { record.type == .resumed } else { false } })
        #expect(up.contains { if case .backend(let record) = $0 { record.type == .up } else { false } }, "\(up)")
        #expect(changes(of: "c/web", in: down + up) == ["suspended", "resumed"], "\(down + up)")
    }

    @Test func aChangeSeenByARereadAndByTheBackendsOwnEventIsAnnouncedOnce() async throws {
        let eventful = InMemoryPlugin.Backend([.vm("off", "00000000-0000-0000-0000-0000000000c1", .shutoff)], events: true)
        let (_, events, monitoring) = try await eventfulBroker(eventful)
        defer { monitoring.cancel() }
        // The VM starts; the poller's re-reads see it first, and the backend's own event for it
        // comes late (they race in real life; here the event loses).
        eventful.domains.withLock { $0[0].state = .running }
        try await Task.sleep(for: .milliseconds(300))  // several re-reads
        eventful.send(DomainEvent(uuid: "00000000-0000-0000-0000-0000000000c1", name: "off", type: .started, detail: "booted"))
        try await Task.sleep(for: .milliseconds(100))
        // …then it is paused, which is announced too.
        eventful.domains.withLock { $0[0].state = .paused }
        eventful.send(DomainEvent(uuid: "00000000-0000-0000-0000-0000000000c1", name: "off", type: .suspended, detail: "paused"))
        let got = await collect(events, for: 1)
        #expect(changes(of: "c/off", in: got) == ["started", "suspended"], "\(got)")
    }
}
