import BrokerAPI
import BrokerCore
import Federation
import InMemoryPlugin
import Logging
import Testing
@testable import Broker

@Suite("The service's verbs beyond power buttons: define, undefine, snapshots, migration")
struct FederationChangesTests {
    let a = InMemoryPlugin.Backend([.vm("web", "00000000-0000-0000-0000-0000000000a1"), .vm("off", "00000000-0000-0000-0000-0000000000a2", .shutoff)])
    let b = InMemoryPlugin.Backend([])
    let audit = RecordedAudit()
    let rw = Caller(door: "rw")

    func service() throws -> FederationService {
        let config = BrokerConfiguration(backends: [
            BackendConfiguration(name: "a", uri: try BackendURI(parsing: "mem://a/")),
            BackendConfiguration(name: "b", uri: try BackendURI(parsing: "mem://b/")),
        ])
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let registry = PluginRegistry([InMemoryPlugin(["a": a, "b": b])])
        return FederationService(broker: try Broker(configuration: config, registry: registry, logger: logger), audit: audit, logger: logger)
    }

    static let xml = "<domain type='test'><name>new</name><uuid>00000000-0000-0000-0000-0000000000f1</uuid>"
        + "<memory unit='MiB'>512</memory><vcpu>2</vcpu><devices><disk/><graphics/></devices></domain>"

    @Test func aDefinedVMIsListedWithItsUUIDAndTheDefineIsAudited() async throws {
        let service = try service()
        let result = try await service.define(xml: Self.xml, backend: "a", host: nil, caller: rw)
        #expect(result.domain == "a/new" && result.action == .define && result.route == "a")
        #expect(result.job.state == .completed && result.job.uuid == "00000000-0000-0000-0000-0000000000f1")
        let record = try await service.domain("a/new")
        #expect(record.uuid == "00000000-0000-0000-0000-0000000000f1" && record.vcpus == 2 && record.memoryKiB == 512 * 1024)
        #expect(a.changes.withLock { $0 } == ["define new"])
        let entries = audit.entries.withLock { $0 }
        #expect(entries.map(\.result) == ["sending", "ok"] && entries.allSatisfy { $0.method == "domain.define" && $0.domain == "a/new" })
    }

    @Test func theNameCanSayTheBackendAsThroughTheFacade() async throws {
        let service = try service()
        let xml = Self.xml.replacingOccurrences(of: "<name>new</name>", with: "<name>b/new</name>")
        let result = try await service.define(xml: xml, backend: nil, host: nil, caller: rw)
        #expect(result.domain == "b/new" && b.domains.withLock { $0.map(\.name) } == ["new"])
        await #expect(throws: BackendError.self) { try await service.define(xml: Self.xml, backend: nil, host: nil, caller: rw) }
    }

    @Test func aTakenNameOrUUIDIsAlreadyExistsAndNothingIsSent() async throws {
        let service = try service()
        let taken = Self.xml.replacingOccurrences(of: "<name>new</name>", with: "<name>web</name>")
        let error = await #expect(throws: BackendError.self) { try await service.define(xml: taken, backend: "a", host: nil, caller: rw) }
        #expect(error?.code == .alreadyExists)
        let sameUUID = Self.xml.replacingOccurrences(of: "0000000000f1", with: "0000000000a1").replacingOccurrences(of: "<name>new</name>", with: "<name>other</name>")
        let clash = await #expect(throws: BackendError.self) { try await service.define(xml: sameUUID, backend: "b", host: nil, caller: rw) }
        #expect(clash?.code == .alreadyExists && clash?.message.contains("a/web") == true)
        #expect(a.changes.withLock { $0 }.isEmpty && b.changes.withLock { $0 }.isEmpty)
    }

    @Test(arguments: [
        ("not xml", "not well-formed"), ("<vm/>", "not <domain>"), ("<domain><memory>1</memory></domain>", "no <name>"),
        ("<domain><name>x</name></domain>", "no <memory>"), ("<domain><name>x</name><memory unit='parsecs'>1</memory></domain>", "unknown unit"),
        ("<domain><name>x</name><uuid>nope</uuid><memory>1</memory></domain>", "is not a UUID"),
        ("<domain><name>x</name><memory>1</memory><vcpu>0</vcpu></domain>", "not a count of CPUs"),
    ])
    func badDomainXMLIsAnInvalidArgument(xml: String, words: String) async throws {
        let service = try service()
        let error = await #expect(throws: BackendError.self) { try await service.define(xml: xml, backend: "a", host: nil, caller: rw) }
        #expect(error?.code == .invalidArgument && error?.message.contains(words) == true, "\(String(describing: error))")
    }

    @Test func aReadOnlyCallerCannotDefineOrSnapshotAndAnUnknownBackendIsNotFound() async throws {
        let service = try service()
        let ro = Caller(door: "ro", readOnly: true)
        await #expect(throws: BackendError(.permissionDenied, "domain.define is refused on the read-only socket")) {
            try await service.define(xml: Self.xml, backend: "a", host: nil, caller: ro)
        }
        await #expect(throws: BackendError(.permissionDenied, "snapshot.create is refused on the read-only socket")) {
            try await service.perform(.createSnapshot(SnapshotRequest(name: "s")), on: "a/web", caller: ro)
        }
        let unknown = await #expect(throws: BackendError.self) { try await service.define(xml: Self.xml, backend: "zz", host: nil, caller: rw) }
        #expect(unknown?.code == .notFound)
    }

    @Test func snapshotsAreTakenListedRevertedAndDeleted() async throws {
        let service = try service()
        _ = try await service.perform(.createSnapshot(SnapshotRequest(name: "s1", description: "first")), on: "a/web", caller: rw)
        _ = try await service.perform(.destroy, on: "a/web", caller: rw)
        _ = try await service.createSnapshot(xml: "<domainsnapshot><name>s2</name></domainsnapshot>", on: "a/web", caller: rw)
        let list = try await service.snapshots(of: "a/web")
        #expect(list.domain == "a/web" && list.route == "a")
        #expect(list.snapshots.map(\.name) == ["s1", "s2"] && list.snapshots[1].parent == "s1" && list.snapshots[1].isCurrent)
        #expect(list.snapshots[0].description == "first" && list.snapshots[0].state == .running)
        let xml = try await service.snapshotXML("s1", of: "a/web")
        #expect(xml.contains("<name>s1</name>") && xml.contains("<description>first</description>") && xml.contains("<state>running</state>"))
        let reverted = try await service.perform(.revertSnapshot("s1"), on: "a/web", caller: rw)
        #expect(reverted.action == .snapshotRevert && reverted.job.state == .completed)
        #expect(try await service.domain("a/web").state == .running)
        let missing = await #expect(throws: BackendError.self) { try await service.perform(.revertSnapshot("zz"), on: "a/web", caller: rw) }
        #expect(missing?.code == .notFound)
        _ = try await service.perform(.deleteSnapshot("s1", children: true), on: "a/web", caller: rw)
        #expect(try await service.snapshots(of: "a/web").snapshots.isEmpty)
        let noXML = await #expect(throws: BackendError.self) { try await service.snapshotXML("s1", of: "a/web") }
        #expect(noXML?.code == .notFound)
    }

    @Test func undefineNeedsTheVMOffAndRemovesItFromTheListing() async throws {
        let service = try service()
        let running = await #expect(throws: BackendError.self) { try await service.perform(.undefine(UndefineOptions()), on: "a/web", caller: rw) }
        #expect(running?.code == .invalidState)
        _ = try await service.perform(.undefine(UndefineOptions()), on: "a/off", caller: rw)
        #expect(await service.listing(DomainFilter(all: true, maxAgeMs: 60_000)).list.domains.map(\.name) == ["a/web"])
    }

    @Test func aMigratedVMsRecordFollowsItToItsNewBackend() async throws {
        let service = try service()
        _ = await service.listing(DomainFilter(all: true))
        let result = try await service.migrate("a/web", to: "b", caller: rw)
        #expect(result.action == .migrate && result.route == "a" && result.job.state == .completed)
        // Both backends were re-read when the job ended: the cache already has it on b.
        let cached = await service.listing(DomainFilter(all: true, maxAgeMs: 60_000)).list.domains
        #expect(cached.map(\.name) == ["a/off", "b/web"] && cached[1].uuid == "00000000-0000-0000-0000-0000000000a1")
        let unknown = await #expect(throws: BackendError.self) { try await service.migrate("b/web", to: "nowhere", caller: rw) }
        #expect(unknown?.code == .notFound)
    }
}
