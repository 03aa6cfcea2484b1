import Foundation
import Testing

/// JSON-RPC 2.0 as the specification writes it, against the real `virtfedd`.
@Suite("virtfedd speaks JSON-RPC 2.0")
struct DaemonProtocolTests {
    static let demo: [(name: String, uri: String, extra: String)] = [
        ("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", ""), ("kvm-b", "test://\(Paths.hosts)/kvm-b.xml", ""),
    ]

    @Test func requestsNotificationsAndIds() throws {
        let daemon = try Daemon(backends: Self.demo)
        let client = try LineClient(path: daemon.socket)
        // A notification gets no answer: the next line on the connection is the ping's.
        try client.send(#"{"jsonrpc":"2.0","method":"broker.ping"}"#)
        try client.send(#"{"jsonrpc":"2.0","method":"broker.ping","id":"abc"}"#)
        let pong = parse(try client.receive()) as? [String: Any]
        #expect(pong?["id"] as? String == "abc" && pong?["jsonrpc"] as? String == "2.0")
        #expect((pong?["result"] as? [String: Any])?["pong"] as? Bool == true)
        try client.send(#"{"jsonrpc":"2.0","method":"broker.ping","id":null}"#)
        let nullID = parse(try client.receive()) as? [String: Any]
        #expect(nullID?["id"] is NSNull && nullID?["result"] != nil)
        try client.send(#"{"jsonrpc":"2.0","method":"broker.version","id":7.5}"#)
        let version = parse(try client.receive()) as? [String: Any]
        #expect(version?["id"] as? Double == 7.5)
        #expect(((version?["result"] as? [String: Any])?["plugins"] as? [String: Any])?["libvirt"] != nil)
    }

    @Test func theSpecificationsErrorExamples() throws {
        let daemon = try Daemon(backends: Self.demo)
        func error(_ line: String) throws -> (code: Int?, id: Any?) {
            let object = parse(try daemon.call(line)) as? [String: Any]
            return ((object?["error"] as? [String: Any])?["code"] as? Int, object?["id"])
        }
        // rpc call of non-existent method
        #expect(try error(#"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#).code == -32601)
        // rpc call with invalid JSON
        let parseError = try error(#"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#)
        #expect(parseError.code == -32700 && parseError.id is NSNull)
        // rpc call with invalid Request object
        let invalid = try error(#"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#)
        #expect(invalid.code == -32600 && invalid.id is NSNull)
        // rpc call Batch, invalid JSON
        #expect(try error(#"[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},{"jsonrpc": "2.0", "method""#).code == -32700)
        // rpc call with an empty Array
        #expect(try error("[]").code == -32600)
        // wrong version, params of the wrong type, id of the wrong type
        #expect(try error(#"{"jsonrpc": "1.0", "method": "broker.ping", "id": 1}"#).code == -32600)
        #expect(try error(#"{"jsonrpc": "2.0", "method": "broker.ping", "params": 3, "id": 1}"#).code == -32600)
        #expect(try error(#"{"jsonrpc": "2.0", "method": "broker.ping", "id": {"a": 1}}"#).code == -32600)
        // invalid params for a real method
        #expect(try error(#"{"jsonrpc": "2.0", "method": "domain.get", "params": [42, 23], "id": 2}"#).code == -32602)
        #expect(try error(#"{"jsonrpc": "2.0", "method": "domain.get", "params": {}, "id": 3}"#).code == -32602)
        #expect(try error(#"{"jsonrpc": "2.0", "method": "domains.list", "params": {"all": "yes"}, "id": 4}"#).code == -32602)
    }

    @Test func batchesAsTheSpecificationSays() throws {
        let daemon = try Daemon(backends: Self.demo)
        // An invalid batch, but not empty: one error per entry.
        let one = parse(try daemon.call("[1]")) as? [[String: Any]]
        #expect(one?.count == 1 && (one?[0]["error"] as? [String: Any])?["code"] as? Int == -32600)
        let three = parse(try daemon.call("[1,2,3]")) as? [[String: Any]]
        #expect(three?.count == 3)
        // A mixed batch: notifications get nothing; the rest come back, in any order.
        let mixed = parse(try daemon.call("""
            [{"jsonrpc":"2.0","method":"broker.ping","id":"1"},{"jsonrpc":"2.0","method":"broker.ping"},\
            {"jsonrpc":"2.0","method":"domain.get","params":{"domain":"web-01"},"id":"2"},{"foo":"boo"},\
            {"jsonrpc":"2.0","method":"foo.get","params":{"name":"myself"},"id":"5"},{"jsonrpc":"2.0","method":"backends.list","id":"9"}]
            """)) as? [[String: Any]]
        let byID = Dictionary(grouping: mixed ?? [], by: { "\($0["id"] ?? "")" })
        #expect(mixed?.count == 5)
        #expect(byID["1"]?.first?["result"] != nil)
        #expect(((byID["2"]?.first?["result"] as? [String: Any])?["name"] as? String) == "kvm-a/web-01")
        #expect(((byID["5"]?.first?["error"] as? [String: Any])?["code"] as? Int) == -32601)
        #expect((byID["9"]?.first?["result"] as? [Any])?.count == 2)
        #expect(((byID["<null>"]?.first?["error"] as? [String: Any])?["code"] as? Int) == -32600)
        // A batch of notifications only: nothing at all comes back.
        let client = try LineClient(path: daemon.socket)
        try client.send(#"[{"jsonrpc":"2.0","method":"broker.ping"},{"jsonrpc":"2.0","method":"domains.list"}]"#)
        try client.send(#"{"jsonrpc":"2.0","method":"broker.ping","id":42}"#)
        let pong = parse(try client.receive()) as? [String: Any]
        #expect(pong?["id"] as? Int == 42 && pong?["result"] != nil)
    }

    @Test func brokerErrorsCarryTheStableCodeAndBackend() throws {
        let daemon = try Daemon(backends: Self.demo)
        let missing = try daemon.request("domain.get", #"{"domain":"nope"}"#)
        let error = try #require(missing["error"] as? [String: Any])
        #expect(error["code"] as? Int == -32001)
        #expect((error["data"] as? [String: Any])?["code"] as? String == "not_found")
        let wrongState = try daemon.request("domain.resume", #"{"domain":"kvm-a/web-01"}"#)
        let data = try #require((wrongState["error"] as? [String: Any])?["data"] as? [String: Any])
        #expect(data["backend"] as? String == "kvm-a")
        let ambiguous = try daemon.request("domain.get", #"{"domain":"shared-storage-vm"}"#)
        #expect(ambiguous["result"] != nil, "a merged VM is one VM, not an ambiguity")
        let list = try daemon.request("domains.list", #"{"all":true,"state":"saved"}"#)
        let names = ((list["result"] as? [String: Any])?["domains"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["kvm-a/legacy-erp"])
    }

    @Test func aSlowCallNeverHoldsUpAFastOneOnTheSameConnection() throws {
        let silent = try SilentListener()
        let daemon = try Daemon(backends: Self.demo + [("mute", "test+tcp://127.0.0.1:\(silent.port)/default", "timeout_ms = 1500")])
        let client = try LineClient(path: daemon.socket)
        try client.send(#"{"jsonrpc":"2.0","method":"domains.list","id":"slow"}"#)
        try client.send(#"{"jsonrpc":"2.0","method":"broker.ping","id":"fast"}"#)
        let first = parse(try client.receive()) as? [String: Any]
        #expect(first?["id"] as? String == "fast")
        let second = parse(try client.receive()) as? [String: Any]
        #expect(second?["id"] as? String == "slow")
        let errors = (second?["result"] as? [String: Any])?["errors"] as? [[String: Any]]
        #expect(errors?.first?["backend"] as? String == "mute")
        #expect(errors?.first?["code"] as? String == "timeout")
    }
}
