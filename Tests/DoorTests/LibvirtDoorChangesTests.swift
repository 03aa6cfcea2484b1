import BrokerCore
import InMemoryPlugin
import NIOCore
import NIOEmbedded
import Testing
@testable import LibvirtDoor
@testable import LibvirtRemote

@Suite("The libvirt door's define, undefine and snapshot procedures")
struct LibvirtDoorChangesTests {
    let backend = InMemoryPlugin.Backend([.vm("web", "00000000-0000-0000-0000-0000000000a1", id: 3)])
    let web = NonnullDomain(name: "a/web", uuid: UUIDBytes.parse("00000000-0000-0000-0000-0000000000a1")!, id: 3)

    func client(_ federation: MemoryFederation, readOnly: Bool = false) async throws -> any RemoteClient {
        try await LibvirtDoorTests().client(federation, readOnly: readOnly)
    }

    func call(_ client: any RemoteClient, _ procedure: RemoteProcedure, _ write: (inout XDRWriter) -> Void) async -> Result<ByteBuffer, RemoteError> {
        await LibvirtDoorTests().call(client, procedure, write)
    }

    func names(_ result: Result<ByteBuffer, RemoteError>) throws -> [String] {
        var reader = XDRReader(try result.get())
        let count = try reader.readUInt32()
        let snapshots = try (0..<count).map { _ in try NonnullDomainSnapshot(from: &reader) }
        #expect(try reader.readInt32() == Int32(count))
        return snapshots.map(\.name)
    }

    @Test func snapshotsAreTakenListedAndWalkedAsLibvirtDoes() async throws {
        let client = try await client(try MemoryFederation(["a": backend]))
        for name in ["s1", "s2"] {
            var made = XDRReader(try await call(client, .domainSnapshotCreateXML) {
                $0.write(web); $0.write("<domainsnapshot><name>\(name)</name><description>d</description></domainsnapshot>"); $0.write(UInt32(0))
            }.get())
            #expect(try NonnullDomainSnapshot(from: &made).name == name)
        }
        #expect(try names(await call(client, .domainListAllSnapshots) { $0.write(web); $0.write(Int32(1)); $0.write(UInt32(0)) }) == ["s1", "s2"])
        // ROOTS, and LEAVES.
        #expect(try names(await call(client, .domainListAllSnapshots) { $0.write(web); $0.write(Int32(1)); $0.write(UInt32(1)) }) == ["s1"])
        #expect(try names(await call(client, .domainListAllSnapshots) { $0.write(web); $0.write(Int32(1)); $0.write(UInt32(4)) }) == ["s2"])
        let s1 = NonnullDomainSnapshot(name: "s1", domain: web), s2 = NonnullDomainSnapshot(name: "s2", domain: web)
        #expect(try names(await call(client, .domainSnapshotListAllChildren) { $0.write(s1); $0.write(Int32(1)); $0.write(UInt32(0)) }) == ["s2"])
        var parent = XDRReader(try await call(client, .domainSnapshotGetParent) { $0.write(s2); $0.write(UInt32(0)) }.get())
        #expect(try NonnullDomainSnapshot(from: &parent).name == "s1")
        var current = XDRReader(try await call(client, .domainSnapshotCurrent) { $0.write(web); $0.write(UInt32(0)) }.get())
        #expect(try NonnullDomainSnapshot(from: &current).name == "s2")
        var xml = XDRReader(try await call(client, .domainSnapshotGetXMLDesc) { $0.write(s1); $0.write(UInt32(0)) }.get())
        #expect(try xml.readString().contains("<description>d</description>"))
        _ = try await call(client, .domainRevertToSnapshot) { $0.write(s1); $0.write(UInt32(0)) }.get()
        var isCurrent = XDRReader(try await call(client, .domainSnapshotIsCurrent) { $0.write(s1); $0.write(UInt32(0)) }.get())
        #expect(try isCurrent.readInt32() == 1)
        _ = try await call(client, .domainSnapshotDelete) { $0.write(s1); $0.write(UInt32(1)) }.get()
        var count = XDRReader(try await call(client, .domainSnapshotNum) { $0.write(web); $0.write(UInt32(0)) }.get())
        #expect(try count.readInt32() == 0)
        guard case .failure(let missing) = await call(client, .domainSnapshotLookupByName, { $0.write(web); $0.write("s1"); $0.write(UInt32(0)) }) else {
            Issue.record("a deleted snapshot was found"); return
        }
        #expect(missing.code == VirErrorNumber.noDomainSnapshot.rawValue)
        guard case .failure(let noCurrent) = await call(client, .domainSnapshotCurrent, { $0.write(web); $0.write(UInt32(0)) }) else {
            Issue.record("a current snapshot after deleting all"); return
        }
        #expect(noCurrent.code == VirErrorNumber.noDomainSnapshot.rawValue)
        guard case .failure(let flags) = await call(client, .domainSnapshotCreateXML, { $0.write(web); $0.write("<domainsnapshot/>"); $0.write(UInt32(16)) }) else {
            Issue.record("a disk-only snapshot was taken"); return
        }
        #expect(flags.code == VirErrorNumber.noSupport.rawValue)
    }

    @Test func defineTakesTheBackendFromTheNameAndUndefineRemovesIt() async throws {
        let federation = try MemoryFederation(["a": backend])
        let client = try await client(federation)
        var made = XDRReader(try await call(client, .domainDefineXML) {
            $0.write("<domain type='test'><name>a/new</name><memory>1024</memory><vcpu>1</vcpu></domain>")
        }.get())
        let new = try NonnullDomain(from: &made)
        #expect(new.name == "a/new" && new.id == -1 && backend.domains.withLock { $0.map(\.name) } == ["web", "new"])
        guard case .failure(let unplaced) = await call(client, .domainDefineXML, { $0.write("<domain><name>lost</name><memory>1</memory></domain>") }) else {
            Issue.record("a VM without a backend was defined"); return
        }
        #expect(unplaced.code == VirErrorNumber.invalidArg.rawValue && unplaced.message?.contains("backend/name") == true)
        guard case .failure(let taken) = await call(client, .domainDefineXML, { $0.write("<domain><name>a/web</name><memory>1</memory></domain>") }) else {
            Issue.record("a taken name was defined again"); return
        }
        #expect(taken.code == VirErrorNumber.domainExists.rawValue)
        _ = try await call(client, .domainSetAutostart) { $0.write(new); $0.write(Int32(1)) }.get()
        #expect(backend.domains.withLock { $0[1].autostart } == true)
        _ = try await call(client, .domainUndefineFlags) { $0.write(new); $0.write(UInt32(2)) }.get()
        #expect(backend.domains.withLock { $0.map(\.name) } == ["web"])
        #expect(federation.audit.entries.withLock { $0.filter { $0.result != "sending" }.map { "\($0.method) \($0.code ?? "ok")" } }
                == ["domain.define ok", "domain.define invalid_argument", "domain.define already_exists", "domain.set_autostart ok", "domain.undefine ok"])
    }

    @Test func aReadOnlyConnectionCannotDefineOrSnapshot() async throws {
        let client = try await client(try MemoryFederation(["a": backend]), readOnly: true)
        guard case .failure(let define) = await call(client, .domainDefineXML, { $0.write("<domain><name>a/x</name><memory>1</memory></domain>") }),
              case .failure(let snapshot) = await call(client, .domainSnapshotCreateXML, { $0.write(web); $0.write(""); $0.write(UInt32(0)) }) else {
            Issue.record("a read-only connection changed something"); return
        }
        #expect(define.message == "operation forbidden: read only access prevents virDomainDefineXML")
        #expect(snapshot.message == "operation forbidden: read only access prevents virDomainSnapshotCreateXML")
        #expect(backend.changes.withLock { $0 }.isEmpty)
    }
}
