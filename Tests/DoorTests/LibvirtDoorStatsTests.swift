import BrokerCore
import InMemoryPlugin
import LibvirtVocabulary
import NIOCore
import NIOEmbedded
import Testing
@testable import LibvirtDoor
@testable import LibvirtRemote

@Suite("The libvirt door's load procedures over the federation service")
struct LibvirtDoorStatsTests {
    static let webUUID = "00000000-0000-0000-0000-0000000000a1"
    static var web: Domain {
        var web = Domain.vm("web", webUUID, id: 3)
        web.vcpus = 2
        web.cpuTimeNs = 8_000_000_000
        web.stats = DomainStats(
            memoryUsedKiB: 700, memoryAvailableKiB: 1000, memoryUnusedKiB: 300,
            disks: [DomainDisk(target: "sda", source: #"C:\VMs\web.vhdx"#, bus: "scsi", readBytes: 11, readRequests: 1, writeBytes: 22,
                               writeRequests: 2, capacityBytes: 4096, allocationBytes: 1024)],
            interfaces: [DomainInterface(mac: "00:15:5d:00:00:01", network: "External", rxBytes: 5, rxPackets: 6, txBytes: 7)],
            source: "test")
        return web
    }
    let backend = InMemoryPlugin.Backend([Self.web, Domain.vm("off", "00000000-0000-0000-0000-0000000000a2", .shutoff)])
    let tests = LibvirtDoorTests()

    func dom(_ client: any RemoteClient, _ name: String) async throws -> NonnullDomain {
        var reply = XDRReader(try await tests.call(client, .domainLookupByName) { $0.write(name) }.get())
        return try NonnullDomain(from: &reply)
    }

    @Test func blockInterfaceMemoryAndVcpuAnswersComeFromTheBackendsFigures() async throws {
        let client = try await tests.client(try MemoryFederation(["a": backend]))
        let web = try await dom(client, "a/web")
        for path in ["sda", #"C:\VMs\web.vhdx"#] {
            var block = XDRReader(try await tests.call(client, .domainBlockStats) { $0.write(web); $0.write(path) }.get())
            #expect(try (0..<5).map { _ in try block.readInt64() } == [1, 11, 2, 22, -1])
        }
        var flags = XDRReader(try await tests.call(client, .domainBlockStatsFlags) { $0.write(web); $0.write("sda"); $0.write(Int32(0)); $0.write(UInt32(0)) }.get())
        #expect(try flags.readUInt32() == 0 && flags.readInt32() == 4)  // nparams 0 asks how many
        var nic = XDRReader(try await tests.call(client, .domainInterfaceStats) { $0.write(web); $0.write("00:15:5D:00:00:01") }.get())
        #expect(try (0..<8).map { _ in try nic.readInt64() } == [5, 6, -1, -1, 7, -1, -1, -1])
        var memory = XDRReader(try await tests.call(client, .domainMemoryStats) { $0.write(web); $0.write(UInt32(16)); $0.write(UInt32(0)) }.get())
        let count = try memory.readUInt32()
        let tagged = try (0..<count).map { _ in (try memory.readInt32(), try memory.readUInt64()) }
        #expect(tagged.map(\.0) == [4, 5, 6, 7] && tagged.map(\.1) == [300, 1000, 1024, 700])
        var vcpus = XDRReader(try await tests.call(client, .domainGetVcpus) { $0.write(web); $0.write(Int32(8)); $0.write(Int32(1)) }.get())
        #expect(try vcpus.readUInt32() == 2)
        #expect(try vcpus.readUInt32() == 0 && vcpus.readInt32() == 1 && vcpus.readUInt64() == 4_000_000_000)
        var info = XDRReader(try await tests.call(client, .domainGetBlockInfo) { $0.write(web); $0.write("sda"); $0.write(UInt32(0)) }.get())
        #expect(try info.readUInt64() == 1024 && info.readUInt64() == 4096)
    }

    @Test func aStoppedVMOrAnUnknownDeviceIsLibvirtsError() async throws {
        let client = try await tests.client(try MemoryFederation(["a": backend]))
        let off = try await dom(client, "a/off")
        let web = try await dom(client, "a/web")
        guard case .failure(let stopped) = await tests.call(client, .domainBlockStats, { $0.write(off); $0.write("sda") }) else {
            Issue.record("a stopped VM answered"); return
        }
        #expect(stopped.code == VirErrorNumber.operationInvalid.rawValue && stopped.message == "Requested operation is not valid: domain is not running")
        guard case .failure(let unknown) = await tests.call(client, .domainBlockStats, { $0.write(web); $0.write("vdz") }) else {
            Issue.record("an unknown disk answered"); return
        }
        #expect(unknown.code == VirErrorNumber.invalidArg.rawValue)
        guard case .failure(let nic) = await tests.call(client, .domainInterfaceStats, { $0.write(web); $0.write("eth9") }) else {
            Issue.record("an unknown interface answered"); return
        }
        #expect(nic.code == VirErrorNumber.invalidArg.rawValue)
    }

    @Test func bulkStatsCarryEveryGroupTheBackendMeasures() async throws {
        let client = try await tests.client(try MemoryFederation(["a": backend]))
        var reply = XDRReader(try await tests.call(client, .connectGetAllDomainStats) { args in
            args.writeArray([NonnullDomain]()) { $0.write($1) }
            args.write(UInt32(0))     // every group
            args.write(UInt32(0))
        }.get())
        var fields: [String: [String]] = [:]
        let records = try reply.readUInt32()
        for _ in 0..<records {
            let dom = try NonnullDomain(from: &reply)
            let count = try reply.readUInt32()
            var names: [String] = []
            for _ in 0..<count {
                names.append(try reply.readString())
                switch try reply.readInt32() {  // remote_typed_param_value's discriminant, then its value
                case 1, 2, 6: _ = try reply.readInt32()
                case 3, 4, 5: _ = try reply.readUInt64()
                case 7: _ = try reply.readString()
                default: Issue.record("unknown typed parameter type")
                }
            }
            fields[dom.name] = names
        }
        let web = try #require(fields["a/web"])
        for name in ["state.state", "cpu.time", "balloon.current", "balloon.rss", "vcpu.current", "net.count", "net.0.rx.bytes",
                     "block.count", "block.0.name", "block.0.path", "block.0.rd.bytes", "block.0.capacity"] {
            #expect(web.contains(name), "\(name)")
        }
        // A stopped VM has no device counters.
        #expect(fields["a/off"]?.contains("block.count") == false && fields["a/off"]?.contains("state.state") == true)
    }
}
