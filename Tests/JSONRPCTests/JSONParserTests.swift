import Foundation
import JSONRPC
import NIOCore
import Testing

@Suite("The JSON parser")
struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func valuesOfEveryKind() throws {
        #expect(try parse(#" {"a": [1, -2.5e3, true, false, null, "x"], "b": {}} "#) == .object([
            "a": .array([.int(1), .double(-2500), .bool(true), .bool(false), .null, .string("x")]), "b": .object([:]),
        ]))
        #expect(try parse("0") == .int(0))
        #expect(try parse("-0.5") == .double(-0.5))
        #expect(try parse("92233720368547758070") == .double(92233720368547758070))
        #expect(try parse(#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("\"\\/\u{8}\u{c}\n\r\té😀"))
        #expect(try parse(#""naïve""#) == .string("naïve"))
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "1e", "tru", "nul", "[1 2]", "{\"a\" 1}",
        "{1:2}", "\"\u{01}\"", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"abc", "1 2", "{} x", "NaN", "'a'",
    ])
    func malformedInputIsRefused(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test(arguments: [
        "", " ", "{", "{\"a\":1,}", "{\"a\" 1}", "{1:2}", "{} x", "{\"a\":\"\u{01}\"}", "{\"a\":01}",
    ])
    func malformedTopLevelObjectsAreRefusedByTheEnvelopeReader(_ text: String) {
        // The request envelope is read member by member; it refuses what the value parser does.
        #expect(throws: JSONParser.Failure.self) { try Array(text.utf8).withUnsafeBytes { try JSONParser.parseKeepingTopLevelMembers($0) } }
        guard case .failure(let error) = RPCMessage.parse(Array(text.utf8)) else { Issue.record("\(text) was accepted"); return }
        #expect(error.code == -32700)
    }

    @Test func theEnvelopeKeepsMembersInOrderAndTheLastOfARepeatedNameCounts() throws {
        let text = Array(#" {"method":"a","jsonrpc":"2.0","params":{"x":[1]},"method":"b","id":"é"} "#.utf8)
        guard case .object(let members) = try text.withUnsafeBytes({ try JSONParser.parseKeepingTopLevelMembers($0) }) else {
            Issue.record("expected the top-level members")
            return
        }
        #expect(members.map(\.key) == ["method", "jsonrpc", "params", "method", "id"])
        #expect(members[2].value == .object(["x": .array([.int(1)])]))
        // As a dictionary would have it (and as the value parser reads it): the last one.
        #expect(try JSONParser.parse(text).object?["method"] == .string("b"))
        guard case .single(.call(let request)) = RPCMessage.parse(text) else { Issue.record("expected a call"); return }
        #expect(request.method == "b" && request.id == .string("é"))
        guard case .value(.array) = try Array("[1]".utf8).withUnsafeBytes({ try JSONParser.parseKeepingTopLevelMembers($0) }) else {
            Issue.record("an array is a value")
            return
        }
    }

    @Test func invalidUTF8AndDepth() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xff, 0xfe, 0x22]) }
        // After ASCII, and as a member name (the ASCII-only fast path must not let either through).
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0x61, 0x62, 0xc3, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]) }
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONParser.parse(Array(fine.utf8))) != nil)
    }

    @Test func agreesWithFoundationOnMutatedMessages() throws {
        var generator = SystemRandomNumberGenerator()
        let seed = Array(#"{"jsonrpc":"2.0","method":"domains.list","params":{"all":true,"name":"w\u00e9b*","n":[1,2.5,-3e2]},"id":"x"}"#.utf8)
        var agreed = 0
        for _ in 0..<2000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = Array(#"{}[],:"0123456789.eE-+ \tnulltrufalse\"#.utf8).randomElement(using: &generator)!
            }
            let ours = (try? JSONParser.parse(bytes)) != nil
            let foundation = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            if ours == foundation { agreed += 1 }
        }
        // Foundation accepts a few things RFC 8259 does not (e.g. leading zeros on some builds);
        // the two must agree on the overwhelming majority of mutations.
        #expect(agreed >= 1950)
    }
}

@Suite("JSON-RPC message rules")
struct RPCMessageTests {
    @Test func singleBatchAndFailures() {
        guard case .single(.call(let request)) = RPCMessage.parse(Array(#"{"jsonrpc":"2.0","method":"m","params":[1],"id":3}"#.utf8)) else {
            Issue.record("expected a call")
            return
        }
        #expect(request.method == "m" && request.id == .int(3) && request.params == .array([.int(1)]))
        guard case .single(.call(let notification)) = RPCMessage.parse(Array(#"{"jsonrpc":"2.0","method":"m"}"#.utf8)) else {
            Issue.record("expected a notification")
            return
        }
        #expect(notification.isNotification)
        guard case .failure(let error) = RPCMessage.parse(Array("[]".utf8)) else { Issue.record("empty batch"); return }
        #expect(error.code == -32600)
        guard case .failure(let parseError) = RPCMessage.parse(Array("{".utf8)) else { Issue.record("not JSON"); return }
        #expect(parseError.code == -32700)
        guard case .batch(let entries) = RPCMessage.parse(Array(#"[1,{"jsonrpc":"2.0","method":"m","id":"a"}]"#.utf8)) else {
            Issue.record("expected a batch")
            return
        }
        #expect(entries.count == 2)
        if case .invalid(let invalid, let id) = entries[0] { #expect(invalid.code == -32600 && id == .null) } else { Issue.record("entry 0") }
    }

    @Test func anInvalidRequestEchoesAReadableId() {
        guard case .single(.invalid(let error, let id)) = RPCMessage.parse(Array(#"{"jsonrpc":"1.0","method":"m","id":9}"#.utf8)) else {
            Issue.record("expected an invalid entry")
            return
        }
        #expect(error.code == -32600 && id == .int(9))
    }

    @Test func answersAreWellFormedJSON() throws {
        struct Pong: Encodable, Sendable { let pong = true }
        let single = Array(RPCMessage.encode([RPCMessage.Response(.success(Pong()), id: .int(7))], batch: false).readableBytesView)
        #expect(String(decoding: single, as: UTF8.self) == #"{"jsonrpc":"2.0","result":{"pong":true},"id":7}"# + "\n")
        let batch = Array(RPCMessage.encode([
            RPCMessage.Response(.success(Pong()), id: .string("a\"b")),
            RPCMessage.Response(.failure(.methodNotFound("x")), id: .null),
            RPCMessage.Response(.success(Pong()), id: .double(1.5)),
        ], batch: true).readableBytesView)
        let parsed = try JSONParser.parse(Array(batch.dropLast()))
        guard case .array(let items) = parsed, items.count == 3 else { Issue.record("not an array of 3: \(parsed)"); return }
        #expect(items[0].object?["id"] == .string("a\"b"))
        #expect(items[1].object?["id"] == .null)
        #expect(items[1].object?["error"]?.object?["code"] == .int(-32601))
        #expect(items[2].object?["id"] == .double(1.5))
        #expect(batch.last == UInt8(ascii: "\n"))
    }

    @Test func aPreEncodedResultIsWrittenAsItIsAndStillEncodesElsewhere() throws {
        struct Version: Encodable, Sendable { let version = "1.0"; let plugins = ["libvirt": ["qemu", "test"]] }
        let pre = try RPCPreEncoded(Version())
        let line = Array(RPCMessage.encode([RPCMessage.Response(.success(pre), id: .int(3))], batch: false).readableBytesView)
        let plain = Array(RPCMessage.encode([RPCMessage.Response(.success(Version()), id: .int(3))], batch: false).readableBytesView)
        // The same answer (JSONEncoder's key order is its own business).
        #expect(try JSONParser.parse(Array(line.dropLast())) == JSONParser.parse(Array(plain.dropLast())))
        #expect(String(decoding: line, as: UTF8.self).hasPrefix(#"{"jsonrpc":"2.0","result":{"#))
        // Through any other encoder it is the same value.
        let again = try JSONParser.parse(Array(try JSONEncoder().encode(pre)))
        #expect(again == (try JSONParser.parse(pre.json)))
        #expect(again.object?["version"] == .string("1.0"))
    }
}

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test(arguments: ["plain", "", "quote \" and \\ backslash", "new\nline\r\ttab", "\u{0}\u{1}\u{1f} controls", "ünïcödé ✓ 🚀", "</script>", "a\u{7f}b"])
    func stringsComeBackAsWritten(_ value: String) throws {
        var writer = JSONWriter()
        writer.raw(#"{"s":"#)
        writer.string(value)
        writer.raw(#","n":"#)
        writer.integer(UInt64.max)
        writer.raw(#","m":"#)
        writer.integer(Int?.none)
        writer.raw(#","b":"#)
        writer.bool(false)
        writer.raw(#","a":"#)
        writer.strings([value, "x"])
        writer.raw("}")
        let parsed = try JSONParser.parse(writer.bytes)
        #expect(parsed.object?["s"] == .string(value))
        #expect(parsed.object?["m"] == .null && parsed.object?["b"] == .bool(false))
        #expect(parsed.object?["a"] == .array([.string(value), .string("x")]))
        // Foundation reads it the same way.
        let foundation = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any]
        #expect(foundation?["s"] as? String == value)
        #expect((foundation?["n"] as? NSNumber)?.uint64Value == UInt64.max)
    }

    @Test(arguments: [0, 7, -42, 1_000_000, Int.max, Int.min])
    func integersAreDecimal(_ value: Int) {
        var writer = JSONWriter()
        writer.integer(value)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value))
    }
}
