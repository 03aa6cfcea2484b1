import BrokerAPI
import Foundation
import BrokerCore
import Federation
import InMemoryPlugin
import JSONRPC
import Testing
@testable import JSONRPCDoor

@Suite("The JSON-RPC door over the federation service")
struct JSONRPCDoorTests {
    /// Records with every kind of value: nulls and not, quotes, backslashes, control
    /// characters, non-ASCII, large numbers.
    static let rich: [Domain] = [
        Domain(name: "web \"01\"\\ é", uuid: "00000000-0000-0000-0000-0000000000a1", id: 7, state: .running, backendState: "VIR_DOMAIN_RUNNING",
               reason: "booted", host: "kvm-a\t1", platform: "QEMU/KVM", vcpus: 4, memoryKiB: 4_194_304, maxMemoryKiB: .max,
               cpuTimeNs: 123_456_789_012, persistent: true, autostart: false, managedSave: false),
        Domain(name: "off/slash", uuid: "00000000-0000-0000-0000-0000000000a2", state: .saved, backendState: "Saved\n",
               host: "h", vcpus: 0),
        Domain(name: "日本", uuid: "00000000-0000-0000-0000-0000000000a3", state: .paused, backendState: "\u{1}", reason: "user",
               host: "h", platform: "Hyper-V", vcpus: 1, memoryKiB: 1, maxMemoryKiB: 2, cpuTimeNs: 0, persistent: false, autostart: true,
               managedSave: true),
    ]

    func handler(_ federation: MemoryFederation) throws -> FederationRPCHandler {
        try FederationRPCHandler(service: federation.service, plugins: ["memory": ["mem"]], eventQueueLimit: 10)
    }

    func context(readOnly: Bool = false) -> RPCContext {
        RPCContext(peer: nil, listener: readOnly ? "ro" : "rw", readOnly: readOnly, connectionID: 1)
    }

    @Test func theFastListingIsByteForByteTheCodableOne() async throws {
        let down = InMemoryPlugin.Backend([])
        down.behaviour.withLock { $0 = .refuse }
        let federation = try MemoryFederation(["a": InMemoryPlugin.Backend(Self.rich), "z": down])
        let listing = await federation.service.listing(DomainFilter(all: true))
        #expect(listing.list.domains.count == 3 && listing.list.errors.count == 1)
        let fast = listing.preEncoded().json
        let codable = Array(try RPCMessage.makeEncoder().encode(listing.list))
        #expect(String(decoding: fast, as: UTF8.self) == String(decoding: codable, as: UTF8.self))
    }

    @Test func domainsListAnswersThroughTheService() async throws {
        let federation = try MemoryFederation(["a": InMemoryPlugin.Backend(Self.rich)])
        let answer = try await handler(federation).handle(RPCRequest(method: "domains.list", params: .object(["all": .bool(true)]), id: .int(1)),
                                                          context: context())
        let json = try #require(answer as? RPCPreEncoded).json
        let list = try JSONDecoder().decode(DomainList.self, from: Data(json))
        #expect(list.domains.map(\.name) == ["a/web \"01\"\\ é", "a/off/slash", "a/日本"])
    }

    @Test func paramsAreReadStrictly() async throws {
        let handler = try handler(MemoryFederation(["a": InMemoryPlugin.Backend([])]))
        let cases: [(JSONValue?, String)] = [
            (.object(["bogus": .int(1)]), "Invalid params: unknown member 'bogus'; known: all, backend, detail, max_age_ms, name, state"),
            (.object(["state": .string("asleep")]), "Invalid params: bad value for 'state'"),
            (.object(["max_age_ms": .int(-1)]), "Invalid params: bad value for 'max_age_ms'"),
            (.array([.int(1)]), "Invalid params: params must be an object"),
        ]
        for (params, message) in cases {
            await #expect(throws: RPCError(code: -32602, message: message)) {
                _ = try await handler.handle(RPCRequest(method: "domains.list", params: params, id: .int(1)), context: context())
            }
        }
        await #expect(throws: RPCError(code: -32602, message: "Invalid params: missing member 'domain'")) {
            _ = try await handler.handle(RPCRequest(method: "domain.start", params: .object([:]), id: .int(1)), context: context())
        }
    }

    @Test func theReadOnlySocketIsRefusedByTheServiceWithTheStableCode() async throws {
        let federation = try MemoryFederation(["a": InMemoryPlugin.Backend([.vm("off", "00000000-0000-0000-0000-0000000000a2", .shutoff)])])
        let request = RPCRequest(method: "domain.start", params: .object(["domain": .string("a/off")]), id: .int(1))
        await #expect(throws: RPCError(code: -32009, message: "domain.start is refused on the read-only socket",
                                       data: .object(["code": .string("permission_denied")]))) {
            _ = try await handler(federation).handle(request, context: context(readOnly: true))
        }
        #expect(federation.audit.entries.withLock { $0.map(\.listener) } == ["ro"])
        _ = try await handler(federation).handle(request, context: context())
        #expect(federation.audit.entries.withLock { $0.map(\.result) } == ["error", "sending", "ok"])
    }

    @Test func everyStableCodeCrossesTheWireAndComesBack() {
        var numbers = Set<Int>()
        for code in ErrorCode.allCases {
            let error = RPCErrorMapping.rpcError(BackendError(code, "x"))
            numbers.insert(error.code)
            #expect((-32099 ... -32000).contains(error.code))
            #expect(WireError.code(number: error.code, dataCode: code.rawValue) == code)
            #expect(WireError.code(number: error.code, dataCode: nil) == code)
            #expect(RPCErrorMapping.label(error) == code.rawValue)
        }
        #expect(numbers.count == ErrorCode.allCases.count)
        #expect(WireError.code(number: -32602, dataCode: nil) == .invalidArgument)
        #expect(WireError.code(number: -32601, dataCode: nil) == .unsupported)
        #expect(RPCErrorMapping.label(.methodNotFound("x")) == "method_not_found")
    }
}

@Suite("The JSON-RPC server's own refusal speaks the wire contract")
struct ServerBusyTests {
    @Test func busyIsAStableCodeTheCLIReadsBack() {
        let busy = RPCError.serverBusy("more than 2 clients")
        guard case .object(let data)? = busy.data, case .string(let code)? = data["code"] else { Issue.record("no data.code"); return }
        #expect(WireError.code(number: busy.code, dataCode: code) == .busy)
        #expect(busy.code == WireError.number(.busy))
        #expect(RPCErrorMapping.label(busy) == "busy")
    }
}

@Suite("domains.stats over JSON-RPC")
struct JSONRPCStatsTests {
    @Test func statsAnswerForNamedOrFilteredVMsAndReadParamsStrictly() async throws {
        let federation = try MemoryFederation(["a": InMemoryPlugin.Backend([LibvirtDoorStatsTests.web, Domain.vm("off", "00000000-0000-0000-0000-0000000000a2", .shutoff)])])
        let handler = try JSONRPCDoorTests().handler(federation)
        let context = JSONRPCDoorTests().context(readOnly: true)
        let named = try await handler.handle(RPCRequest(method: "domains.stats", params: .object(["domains": .array([.string("a/web")])]), id: .int(1)),
                                             context: context)
        let list = try #require(named as? DomainStatsList)
        #expect(list.domains.map(\.name) == ["a/web"])
        #expect(list.domains.first?.stats?.disks.first?.readBytes == 11)
        #expect(list.domains.first?.cpuTimeNs == 8_000_000_000)
        let encoded = String(decoding: try RPCMessage.makeEncoder().encode(list), as: UTF8.self)
        #expect(encoded.contains("\"read_bytes\":11") && encoded.contains("\"sampled_at\":"))
        let active = try #require(try await handler.handle(RPCRequest(method: "domains.stats", params: nil, id: .int(2)), context: context) as? DomainStatsList)
        #expect(active.domains.map(\.name) == ["a/web"])
        let all = try #require(try await handler.handle(RPCRequest(method: "domains.stats", params: .object(["all": .bool(true)]), id: .int(3)),
                                                       context: context) as? DomainStatsList)
        #expect(all.domains.count == 2)
        // A listing's records carry no load: `detail: load` is refused there.
        await #expect(throws: RPCError.self) {
            _ = try await handler.handle(RPCRequest(method: "domains.list", params: .object(["detail": .string("load")]), id: .int(6)), context: context)
        }
        for params: JSONValue in [.object(["detail": .string("full")]), .object(["domains": .string("a/web")]), .array([])] {
            await #expect(throws: RPCError.self) { _ = try await handler.handle(RPCRequest(method: "domains.stats", params: params, id: .int(4)), context: context) }
        }
        do {
            _ = try await handler.handle(RPCRequest(method: "domains.stats", params: .object(["domains": .array([.string("a/nope")])]), id: .int(5)),
                                         context: context)
            Issue.record("an unknown VM answered")
        } catch {
            #expect(error.code == WireError.number(.notFound))
        }
    }
}

@Suite("The CLI's listing reader against JSONDecoder")
struct DomainListReadingTests {
    /// A response line as the daemon writes it, around `result`.
    static func line(_ result: [UInt8]) -> [UInt8] { Array(#"{"jsonrpc":"2.0","id":7,"result":"#.utf8) + result + Array("}".utf8) }

    @Test func itReadsWhatTheDaemonWritesExactlyAsJSONDecoderDoes() async throws {
        let down = InMemoryPlugin.Backend([])
        down.behaviour.withLock { $0 = .refuse }
        let federation = try MemoryFederation(["a": InMemoryPlugin.Backend(JSONRPCDoorTests.rich), "z": down])
        let listing = await federation.service.listing(DomainFilter(all: true))
        let bytes = Self.line(listing.preEncoded().json)
        struct Response: Decodable { let result: DomainList }
        let general = try JSONDecoder().decode(Response.self, from: Data(bytes)).result
        let fast = try #require(DomainList.read(response: bytes))
        #expect(fast == general)
        #expect(fast.domains.count == 3 && fast.errors.count == 1)
        // Escapes of every kind, read back.
        let escaped = Array(#"{"id":1,"result":{"domains":[{"name":"b/\"q\\\/\u00e9\ud83d\ude00\n","backend":"b","host":"h","uuid":"u","id":null,"state":"paused","backend_state":"x","reason":null,"platform":null,"vcpus":1,"memory_kib":18446744073709551615,"max_memory_kib":0,"cpu_time_ns":null,"persistent":true,"autostart":null,"managed_save":false,"routes":["b"]}],"errors":[],"freshness":[{"backend":"b","age_ms":12,"source":"cache"}]}}"#.utf8)
        let read = try #require(DomainList.read(response: escaped))
        #expect(read == (try JSONDecoder().decode(Response.self, from: Data(escaped)).result))
        #expect(read.domains.first?.name == "b/\"q\\/é😀\n" && read.domains.first?.memoryKiB == .max)
    }

    @Test func anythingElseIsLeftToTheGeneralDecoder() {
        let record = #"{"name":"b/x","backend":"b","host":"h","uuid":"u","id":null,"state":"running","backend_state":"x","reason":null,"platform":null,"vcpus":1,"memory_kib":1,"max_memory_kib":1,"cpu_time_ns":null,"persistent":null,"autostart":null,"managed_save":null,"routes":["b"]}"#
        for text in [
            #"{"id":1,"error":{"code":-32001,"message":"x"}}"#,                                   // an error
            #"{"id":1,"result":{"domains":[\#(record)]}}"#,                                       // no errors member
            #"{"id":1,"result":{"domains":[\#(record)],"errors":[]}}"#,                           // no freshness member
            #"{"id":1,"result":{"domains":[\#(record.replacingOccurrences(of: "running", with: "flying"))],"errors":[]}}"#,
            #"{"id":1,"result":{"domains":[\#(record.replacingOccurrences(of: #""vcpus":1,"#, with: ""))],"errors":[]}}"#,
            #"{"id":1,"result":{"domains":[\#(record.replacingOccurrences(of: #""vcpus":1"#, with: #""vcpus":1.5"#))],"errors":[]}}"#,
            #"{"id":1,"result":{"domains":[],"errors":[]}} trailing"#,
            #"{"id":1,"result":{"domains":["#,
            "",
        ] {
            #expect(DomainList.read(response: Array(text.utf8)) == nil, "\(text)")
        }
        #expect(DomainList.read(response: Array(#"{"id":1,"result":{"domains":[\#(record)],"errors":[],"freshness":[]}}"#.utf8))?.domains.count == 1)
    }
}
