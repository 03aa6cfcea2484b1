import JSONText
/// A strict RFC 8259 parser from bytes straight to `JSONValue`: one pass, no intermediate
/// `Any`, no thrown-and-caught type probing, a nesting limit. Messages arrive on every call,
/// so this sits on the hot path of each request.
public struct JSONParser {
    /// Why the bytes are not JSON.
    public struct Failure: Error, Sendable, Equatable {
        public var offset: Int
        public var reason: String
    }

    /// Parses one JSON text; anything after it but whitespace is an error.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 128) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw Failure(offset: parser.index, reason: "unexpected data after the JSON text") }
        return value
    }

    /// Parses one JSON text, keeping a top-level object as its members in order (no
    /// dictionary: a JSON-RPC envelope is read once, member by member, on every call).
    public static func parseKeepingTopLevelMembers(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 128) throws(Failure) -> TopLevel {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        let text: TopLevel
        if parser.current == UInt8(ascii: "{") {
            var members: [(key: String, value: JSONValue)] = []
            members.reserveCapacity(4)
            try parser.members(depth: 0) { members.append(($0, $1)) }
            text = .object(members)
        } else {
            text = .value(try parser.value(depth: 0))
        }
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw Failure(offset: parser.index, reason: "unexpected data after the JSON text") }
        return text
    }

    /// A JSON text as `parseKeepingTopLevelMembers` gives it.
    public enum TopLevel {
        /// An object's members, in the order written (a repeated name appears twice).
        case object([(key: String, value: JSONValue)])
        /// Anything else.
        case value(JSONValue)
    }

    /// Parses one JSON text from any byte collection.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = 128) throws(Failure) -> JSONValue {
        let contiguous = Array(bytes)
        let result = contiguous.withUnsafeBytes { raw -> Result<JSONValue, Failure> in
            do throws(Failure) {
                return .success(try parse(raw, maxDepth: maxDepth))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private let bytes: UnsafeRawBufferPointer
    private let maxDepth: Int
    private var index = 0

    private init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private func fail(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard depth < maxDepth else { throw fail("nested deeper than \(maxDepth) levels") }
        guard let byte = current else { throw fail("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end of input") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw fail("invalid literal")
        }
        index += count
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        var members: [String: JSONValue] = [:]
        try self.members(depth: depth) { members[$0] = $1 }
        return .object(members)
    }

    /// Reads an object, handing each member over as it is read.
    private mutating func members(depth: Int, _ member: (String, JSONValue) -> Void) throws(Failure) {
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let key = try string()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            member(key, try value(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(items)
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    private mutating func string() throws(Failure) -> String {
        index += 1
        switch JSONString.read(bytes, at: &index) {
        case .success(let text): return text
        case .failure(let failure): throw fail(failure.reason)
        }
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { throw fail("invalid number") }
        if first == UInt8(ascii: "0") {
            index += 1
        } else {
            while let digit = current, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") { index += 1 }
        }
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard let digit = current, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { throw fail("invalid number") }
            while let digit = current, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") { index += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let digit = current, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { throw fail("invalid number") }
            while let digit = current, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") { index += 1 }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let int = Int(text) { return .int(int) }
        guard let double = Double(text) else { throw fail("invalid number") }
        return .double(double)
    }
}
