import BrokerAPI
import BrokerCore
import InMemoryPlugin
import JSONRPC
import Testing
@testable import JSONRPCDoor

@Suite("JSON-RPC define, undefine, migrate and snapshot methods")
struct JSONRPCDoorChangesTests {
    let a = InMemoryPlugin.Backend([.vm("web", "00000000-0000-0000-0000-0000000000a1")])
    let b = InMemoryPlugin.Backend([])

    func call(_ handler: FederationRPCHandler, _ method: String, _ params: [String: JSONValue], readOnly: Bool = false) async throws(RPCError) -> any Encodable {
        try await handler.handle(RPCRequest(method: method, params: .object(params), id: .int(1)), context: JSONRPCDoorTests().context(readOnly: readOnly))
    }

    @Test func theVerbsRunThroughTheServiceWithTheirParams() async throws {
        let federation = try MemoryFederation(["a": a, "b": b])
        let handler = try JSONRPCDoorTests().handler(federation)
        let defined = try #require(try await call(handler, "domain.define", [
            "backend": .string("b"), "xml": .string("<domain><name>new</name><memory>1024</memory></domain>")]) as? ActionResult)
        #expect(defined.domain == "b/new" && defined.action == .define && defined.job.uuid != nil)
        let taken = try #require(try await call(handler, "snapshot.create", ["domain": .string("a/web"), "name": .string("s1"),
                                                                             "description": .string("why")]) as? ActionResult)
        #expect(taken.action == .snapshotCreate && taken.job.state == .completed)
        let list = try #require(try await call(handler, "snapshots.list", ["domain": .string("a/web")], readOnly: true) as? SnapshotList)
        #expect(list.snapshots.map(\.name) == ["s1"] && list.snapshots[0].description == "why" && list.snapshots[0].isCurrent)
        let xml = try #require(try await call(handler, "snapshot.xml", ["domain": .string("a/web"), "snapshot": .string("s1")], readOnly: true) as? DomainXML)
        #expect(xml.xml.contains("<name>s1</name>"))
        _ = try await call(handler, "snapshot.revert", ["domain": .string("a/web"), "snapshot": .string("s1")])
        _ = try await call(handler, "snapshot.delete", ["domain": .string("a/web"), "snapshot": .string("s1"), "children": .bool(true)])
        _ = try await call(handler, "domain.set_autostart", ["domain": .string("a/web"), "enabled": .bool(true)])
        let moved = try #require(try await call(handler, "domain.migrate", ["domain": .string("a/web"), "to": .string("b")]) as? ActionResult)
        #expect(moved.action == .migrate && b.domains.withLock { $0.map(\.name) } == ["new", "web"])
        _ = try await call(handler, "domain.undefine", ["domain": .string("b/new"), "snapshots_metadata": .bool(true)])
        #expect(b.domains.withLock { $0.map(\.name) } == ["web"])
        #expect(a.changes.withLock { $0 } == ["snapshot-create web", "snapshot-revert web", "snapshot-delete web", "set-autostart web", "migrate web"])
    }

    @Test func theirParamsAreStrictAndTheReadOnlySocketIsRefused() async throws {
        let federation = try MemoryFederation(["a": a])
        let handler = try JSONRPCDoorTests().handler(federation)
        await #expect(throws: RPCError(code: -32602, message: "Invalid params: missing member 'xml'")) {
            _ = try await call(handler, "domain.define", ["backend": .string("a")])
        }
        await #expect(throws: RPCError(code: -32602, message: "Invalid params: unknown member 'force'; known: children, domain, snapshot, wait_ms")) {
            _ = try await call(handler, "snapshot.delete", ["domain": .string("a/web"), "snapshot": .string("s"), "force": .bool(true)])
        }
        await #expect(throws: RPCError(code: -32602, message: "Invalid params: missing member 'enabled'")) {
            _ = try await call(handler, "domain.set_autostart", ["domain": .string("a/web")])
        }
        for method in ["domain.undefine", "snapshot.create", "domain.migrate"] {
            var params: [String: JSONValue] = ["domain": .string("a/web")]
            if method == "domain.migrate" { params["to"] = .string("a") }
            await #expect(throws: RPCError(code: -32009, message: "\(method) is refused on the read-only socket",
                                           data: .object(["code": .string("permission_denied")]))) {
                _ = try await call(handler, method, params, readOnly: true)
            }
        }
        #expect(a.changes.withLock { $0 }.isEmpty)
        #expect(Set(RPCMethod.allCases.filter(\.isMutating).map(\.rawValue)) == Set(DomainAction.allCases.map { "domain.\($0.rawValue)" } + [
            "job.cancel", "domain.define", "domain.undefine", "domain.migrate", "domain.set_autostart", "snapshot.create", "snapshot.revert",
            "snapshot.delete"]))
    }
}
