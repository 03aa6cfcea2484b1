import BrokerCore
import InMemoryPlugin
import NIOCore
import NIOEmbedded
import Testing
@testable import LibvirtDoor
@testable import LibvirtRemote

@Suite("The libvirt door over the federation service")
struct LibvirtDoorTests {
    let backend = InMemoryPlugin.Backend([.vm("web", "00000000-0000-0000-0000-0000000000a1", id: 3),
                                          .vm("off", "00000000-0000-0000-0000-0000000000a2", .shutoff)])

    /// A connected client of the facade, opened (read-only when asked).
    func client(_ federation: MemoryFederation, readOnly: Bool = false) async throws -> any RemoteClient {
        let facade = LibvirtFacade(service: federation.service, logger: .init(label: "test"))
        let context = RemoteClientContext(peer: nil, listener: readOnly ? "libvirt-ro" : "libvirt-rw", readOnly: readOnly, connectionID: 1)
        let client = facade.connect(context, events: RemoteEventSink(channel: EmbeddedChannel()))
        var open = XDRWriter()
        open.writeOptional("test:///default")
        open.write(UInt32(0))
        _ = try await client.call(procedure: RemoteProcedure.connectOpen.rawValue, arguments: XDRReader(open.buffer)).get()
        return client
    }

    func call(_ client: any RemoteClient, _ procedure: RemoteProcedure, _ write: (inout XDRWriter) -> Void) async -> Result<ByteBuffer, RemoteError> {
        var arguments = XDRWriter()
        write(&arguments)
        return await client.call(procedure: procedure.rawValue, arguments: XDRReader(arguments.buffer))
    }

    @Test func xmlIsTheServicesWithTheFederatedNameAndID() async throws {
        let federation = try MemoryFederation(["a": backend])
        let client = try await client(federation)
        var reply = XDRReader(try await call(client, .domainLookupByName) { $0.write("a/web") }.get())
        let dom = try NonnullDomain(from: &reply)
        #expect(dom.name == "a/web" && dom.id > 0)
        var xml = XDRReader(try await call(client, .domainGetXMLDesc) { $0.write(dom); $0.write(UInt32(0)) }.get())
        let text = try xml.readString()
        #expect(text.hasPrefix("<domain type='test' id='\(dom.id)'>\n  <name>a/web</name>"), "\(text)")
        #expect(text == LibvirtDomainXML.federate(try await federation.service.xml("a/web"), record: try await federation.service.domain("a/web"), id: dom.id))
    }

    @Test func aReadOnlyConnectionIsRefusedInLibvirtsWordsByTheService() async throws {
        let federation = try MemoryFederation(["a": backend])
        let client = try await client(federation, readOnly: true)
        let off = NonnullDomain(name: "a/off", uuid: UUIDBytes.parse("00000000-0000-0000-0000-0000000000a2")!, id: -1)
        let refused = await call(client, .domainCreate) { $0.write(off) }
        guard case .failure(let error) = refused else { Issue.record("not refused"); return }
        #expect(error.code == VirErrorNumber.operationDenied.rawValue)
        #expect(error.message == "operation forbidden: read only access prevents virDomainCreate")
        #expect(backend.domains.withLock { $0[1].state } == .shutoff)
        #expect(federation.audit.entries.withLock { $0.map { "\($0.method) \($0.listener) \($0.code ?? "ok")" } }
                == ["domain.start libvirt-ro permission_denied"])
    }

    @Test func everyStableCodeHasALibvirtError() {
        for code in ErrorCode.allCases {
            let error = LibvirtErrorMapping.remoteError(BackendError(code, "detail"))
            #expect(error.message?.hasSuffix("detail") == true)
        }
        #expect(LibvirtErrorMapping.remoteError(BackendError(.notFound, "x")).code == VirErrorNumber.noDomain.rawValue)
    }

    @Test func aListingFilteredBySnapshotsIsRefusedNotAnsweredWrong() async throws {
        let client = try await client(try MemoryFederation(["a": backend]))
        guard case .failure(let filter) = await call(client, .connectListAllDomains, { $0.write(Int32(1)); $0.write(UInt32(0x1000)) }) else {
            Issue.record("a listing filtered by snapshots answered"); return
        }
        #expect(filter.code == VirErrorNumber.noSupport.rawValue)
    }
}
