import BrokerAPI
import BrokerCore
import Foundation
@testable import Federation
import InMemoryPlugin
import Logging
import Synchronization
import Testing
@testable import Broker

/// An audit trail in memory, that can be made to fail.
final class RecordedAudit: AuditTrail {
    let entries = Mutex<[AuditEntry]>([])
    /// Set to make every record fail, as a full disk would.
    let failing = Mutex<Bool>(false)

    func record(_ entry: AuditEntry) async throws(BackendError) {
        if failing.withLock({ $0 }) { throw BackendError(.internal, "No space left on device") }
        entries.withLock { $0.append(entry) }
    }
}

/// A fourth backend kind, made in a test: the in-memory plugin under another scheme, with
/// its own facade domain type and setting.
struct LabPlugin: BackendPlugin {
    static let name = "lab"
    static let schemes: Set<String> = ["lab"]
    static let settings: [BackendSetting] = [BackendSetting("rack", .string, help: "rack label")]
    static func libvirtDomainType(platform: String?) -> String { "kvm" }
    let memory: InMemoryPlugin

    func open(_ uri: BackendURI, credentials: Credentials?, options: BackendOptions, logger: Logger) async throws(BackendError) -> any BackendSession {
        try await memory.open(uri, credentials: credentials, options: options, logger: logger)
    }
}

@Suite("The federation service: policy, audit, XML for every VM, the listing cache")
struct FederationServiceTests {
    let a = InMemoryPlugin.Backend([.vm("web", "00000000-0000-0000-0000-0000000000a1"), .vm("off", "00000000-0000-0000-0000-0000000000a2", .shutoff)])
    let lab = InMemoryPlugin.Backend([.vm("rig", "00000000-0000-0000-0000-0000000000c1")])
    let audit = RecordedAudit()

    func service() throws -> FederationService {
        var registry = PluginRegistry([InMemoryPlugin(["a": a])])
        registry.register(LabPlugin(memory: InMemoryPlugin(["l": lab])))  // the one line a new kind needs
        let config = BrokerConfiguration(backends: [
            BackendConfiguration(name: "a", uri: try BackendURI(parsing: "mem://a/")),
            BackendConfiguration(name: "l", uri: try BackendURI(parsing: "lab://l/")),
        ])
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        return FederationService(broker: try Broker(configuration: config, registry: registry, logger: logger), audit: audit, logger: logger)
    }

    @Test func aNewBackendKindIsListedAndItsVMsGetItsDomainType() async throws {
        let service = try service()
        #expect(await service.listing(DomainFilter(all: true)).list.domains.map(\.name) == ["a/web", "a/off", "l/rig"])
        #expect(try await service.xml("l/rig").hasPrefix("<domain type='kvm'>\n  <name>l/rig</name>"))
        #expect(try await service.xml("a/web").hasPrefix("<domain type='test'>"))
    }

    @Test func aReadOnlyCallerIsRefusedInItsDoorsWordsAndAudited() async throws {
        let service = try service()
        let caller = Caller(door: "libvirt-ro", peer: (pid: 7, uid: 1000, gid: 1000), readOnly: true,
                            refusal: { "read only access prevents \($0)" })
        await #expect(throws: BackendError(.permissionDenied, "read only access prevents virDomainCreate")) {
            try await service.perform(.start, on: "a/off", caller: caller, operation: "virDomainCreate")
        }
        #expect(a.domains.withLock { $0[1].state } == .shutoff)
        let entry = try #require(audit.entries.withLock { $0.last })
        #expect(entry.method == "domain.start" && entry.listener == "libvirt-ro" && entry.code == "permission_denied"
                && entry.peer?.pid == 7 && entry.peer?.uid == 1000 && entry.peer?.gid == 1000)
        // The default words are the JSON-RPC socket's.
        await #expect(throws: BackendError(.permissionDenied, "domain.start is refused on the read-only socket")) {
            try await service.perform(.start, on: "a/off", caller: Caller(door: "ro", readOnly: true))
        }
    }

    @Test func everyActionIsAuditedWithItsRouteOrError() async throws {
        let service = try service()
        let result = try await service.perform(.start, on: "off", caller: Caller(door: "rw"))
        #expect(result.domain == "a/off" && result.route == "a")
        await #expect(throws: BackendError.self) { try await service.perform(.start, on: "a/off", caller: Caller(door: "rw")) }
        let entries = audit.entries.withLock { $0 }
        // Each change is recorded before it is sent ("sending"), then with its outcome.
        #expect(entries.map(\.result) == ["sending", "ok", "sending", "error"])
        #expect(entries[1].route == "a" && entries[1].domain == "a/off" && entries[3].code == "invalid_state")
    }

    @Test func aTrailThatCannotRecordRefusesTheChangeBeforeItIsSent() async throws {
        let service = try service()
        audit.failing.withLock { $0 = true }
        await #expect(throws: BackendError(.internal, "audit trail unavailable (No space left on device); domain.start on a/off was refused and not sent")) {
            try await service.perform(.start, on: "a/off", caller: Caller(door: "rw"))
        }
        #expect(a.domains.withLock { $0[1].state } == .shutoff)
        #expect(a.performing.load(ordering: .relaxed) == 0 && a.peakPerforming.load(ordering: .relaxed) == 0)
        #expect(await service.jobList(all: true).isEmpty)
    }

    @Test func aCachedListingIsMadeOncePerGenerationAndFilter() async throws {
        let service = try service()
        _ = await service.listing(DomainFilter(all: true))  // fills the cache
        let first = await service.listing(DomainFilter(all: true, maxAgeMs: 60_000))
        let again = await service.listing(DomainFilter(all: true, maxAgeMs: 1_000))
        #expect(first.snapshot === again.snapshot)
        #expect(again.freshness.map(\.source) == [.cache, .cache])
        let active = await service.listing(DomainFilter(maxAgeMs: 60_000))
        #expect(active.snapshot !== first.snapshot && active.snapshot.domains.map(\.name) == ["a/web", "l/rig"])
        // What a door makes of a snapshot is made once.
        let calls = Mutex(0)
        for _ in 0..<3 { _ = first.snapshot.encoded { _ in calls.withLock { $0 += 1 }; return [1] } }
        #expect(calls.withLock { $0 } == 1)
        // A change read into the cache is a new snapshot that shows it.
        a.domains.withLock { $0[1].state = .running }
        _ = await service.listing(DomainFilter(all: true))
        let after = await service.listing(DomainFilter(all: true, maxAgeMs: 60_000))
        #expect(after.snapshot !== first.snapshot)
        #expect(after.snapshot.domains.first { $0.name == "a/off" }?.state == .running)
        // A live listing is never kept.
        let live1 = await service.listing(DomainFilter(all: true)), live2 = await service.listing(DomainFilter(all: true))
        #expect(live1.snapshot !== live2.snapshot && live1.freshness.map(\.source) == [.live, .live])
    }

    @Test func aCachedListingOutlivesCountersThatMovedButNotAChangeOfState() async throws {
        let service = try service()
        _ = await service.listing(DomainFilter(all: true))  // fills the cache
        let first = await service.listing(DomainFilter(all: true, maxAgeMs: 60_000))
        // A refresh that finds only the CPU time moved keeps the listing.
        a.domains.withLock { $0[0].cpuTimeNs = 5_000_000_000 }
        _ = await service.listing(DomainFilter(all: true))
        let counters = await service.listing(DomainFilter(all: true, maxAgeMs: 60_000))
        #expect(counters.snapshot === first.snapshot)
        // One that finds a VM in another state makes it again.
        a.domains.withLock { $0[1].state = .running }
        _ = await service.listing(DomainFilter(all: true))
        let state = await service.listing(DomainFilter(all: true, maxAgeMs: 60_000))
        #expect(state.snapshot !== first.snapshot)
        #expect(state.snapshot.domains.first { $0.name == "a/off" }?.state == .running)
        #expect(state.snapshot.domains.first { $0.name == "a/web" }?.cpuTimeNs == 5_000_000_000)
    }

    @Test func aKeptListingSaysHowOldItIsAndGoesWhenOlderThanAsked() throws {
        let listings = ListingCache()
        var sources = BackendSources(preferredRoute: .direct)
        sources.sources = [Namespace.Source(backend: "a", routeKind: .direct, domains: a.domains.withLock { $0 })]
        sources.freshness = [BackendFreshness(backend: "a", ageMs: 10, source: .cache)]
        let makes = Mutex(0)
        func listing(_ generation: Int, shape: Int, maxAge: Duration = .seconds(60)) -> (snapshot: ListingSnapshot, freshness: [BackendFreshness]) {
            listings.listing(generation: generation, shape: shape, maxAge: maxAge, filter: DomainFilter(all: true), sources: sources) { namespace in
                makes.withLock { $0 += 1 }
                return ListingSnapshot(domains: namespace.entries.map(\.record), errors: [])
            }
        }
        let first = listing(1, shape: 1)
        #expect(first.freshness.map(\.ageMs) == [10])
        usleep(30_000)
        // Counters moved since: the kept listing, as old as its data is now.
        let kept = listing(2, shape: 1)
        #expect(kept.snapshot === first.snapshot)
        #expect(kept.freshness.map(\.ageMs).allSatisfy { $0 >= 40 })
        // A change of state: made again, with the sources' freshness.
        let second = listing(3, shape: 2)
        #expect(second.snapshot !== first.snapshot && second.freshness.map(\.ageMs) == [10])
        #expect(listing(3, shape: 2, maxAge: .zero).snapshot === second.snapshot)  // the same generation is the same data
        usleep(60_000)
        #expect(listing(4, shape: 2, maxAge: .milliseconds(50)).snapshot !== second.snapshot)  // older than the caller accepts
        #expect(makes.withLock { $0 } == 3)
    }

    @Test func aNameFromTheLastKnownInventoryStillReachesItsVMWhenItsBackendIsDown() async throws {
        let shared = "00000000-0000-0000-0000-00000000cafe"
        let one = InMemoryPlugin.Backend([.vm("twin", shared, .shutoff)])
        let two = InMemoryPlugin.Backend([.vm("twin", shared, .shutoff)])
        let config = BrokerConfiguration(backends: [
            BackendConfiguration(name: "one", uri: try BackendURI(parsing: "mem://one/")),
            BackendConfiguration(name: "two", uri: try BackendURI(parsing: "mem://two/")),
        ])
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let broker = try Broker(configuration: config, registry: PluginRegistry([InMemoryPlugin(["one": one, "two": two])]), logger: logger)
        let service = FederationService(broker: broker, audit: audit, logger: logger)
        _ = await service.listing(DomainFilter(all: true))  // the inventory, as the daemon keeps it
        // Backend one goes down: its name for the VM still resolves, and the action takes the other route.
        one.alive.store(false, ordering: .relaxed)
        one.behaviour.withLock { $0 = .refuse }
        let result = try await service.perform(.start, on: "one/twin", caller: Caller(door: "rw"))
        #expect(result.route == "two" && result.domain == "one/twin")
        #expect(two.domains.withLock { $0[0].state } == .running)
    }

    @Test func aChangeThatTimedOutIsNeverSentThroughTheNextRoute() async throws {
        let shared = "00000000-0000-0000-0000-00000000beef"
        let one = InMemoryPlugin.Backend([.vm("twin", shared, .shutoff)])
        let two = InMemoryPlugin.Backend([.vm("twin", shared, .shutoff)])
        let config = BrokerConfiguration(backends: [
            BackendConfiguration(name: "one", uri: try BackendURI(parsing: "mem://one/"), timeoutMilliseconds: 100),
            BackendConfiguration(name: "two", uri: try BackendURI(parsing: "mem://two/")),
        ])
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let broker = try Broker(configuration: config, registry: PluginRegistry([InMemoryPlugin(["one": one, "two": two])]), logger: logger)
        let service = FederationService(broker: broker, audit: audit, logger: logger)
        // Both routes known (on a loaded machine a first listing may miss one's 100 ms: again).
        for _ in 0..<20 where !(await service.listing(DomainFilter(all: true))).list.errors.isEmpty {}
        // Route one is slow: the start reaches it, and passes its deadline.
        one.behaviour.withLock { $0 = .slow(.milliseconds(400)) }
        await #expect {
            try await service.perform(.start, on: "one/twin", caller: Caller(door: "rw"))
        } throws: { error in
            let error = error as! BackendError
            return error.code == .outcomeUnknown && error.backend == "one" && error.message.contains("was not sent again")
        }
        // Nothing went through route two, and route one did start the VM after all.
        #expect(two.domains.withLock { $0[0].state } == .shutoff)
        try await Task.sleep(for: .milliseconds(600))
        #expect(one.domains.withLock { $0[0].state } == .running)
        #expect(audit.entries.withLock { $0.last?.code } == "outcome_unknown")
    }

    @Test func twoChangesToOneVMRunOneAfterTheOther() async throws {
        let service = try service()
        a.behaviour.withLock { $0 = .slow(.milliseconds(300)) }
        defer { a.behaviour.withLock { $0 = .normal } }
        // The destroy arrives while the start is still running: it waits for it.
        async let started = service.perform(.start, on: "a/off", caller: Caller(door: "rw"))
        for _ in 0..<500 where a.performing.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let destroyed = try await service.perform(.destroy, on: "a/off", caller: Caller(door: "rw"))
        #expect(try await started.job.resultingState == .running)
        #expect(destroyed.job.resultingState == .shutoff)
        #expect(a.peakPerforming.load(ordering: .relaxed) == 1)
    }
}
