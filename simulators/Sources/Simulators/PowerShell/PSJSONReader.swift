/// JSON text to PowerShell values, keeping member order (as `ConvertFrom-Json` does): objects
/// become PSCustomObjects, arrays arrays, integral numbers `.int`. Bounded in nesting.
public struct PSJSONReader {
    /// Why a document was refused.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// What went wrong.
        public var message: String
        /// The byte offset.
        public var offset: Int
        public var description: String { "\(message) at byte \(offset)" }
    }

    /// The deepest nesting accepted.
    public static let maxDepth = 128

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    /// Parses one JSON document (a UTF-8 BOM is skipped).
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> PSValue {
        var reader = PSJSONReader(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.index = 3 }
        let value = try reader.value()
        reader.skipSpaces()
        guard reader.index == bytes.count else { throw Failure(message: "unexpected data after the document", offset: reader.index) }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpaces() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func value() throws(Failure) -> PSValue {
        skipSpaces()
        guard index < bytes.count else { throw Failure(message: "unexpected end of input", offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    private mutating func literal(_ word: String, _ value: PSValue) throws(Failure) -> PSValue {
        let expected = Array(word.utf8)
        guard bytes[index...].starts(with: expected) else { throw Failure(message: "invalid literal", offset: index) }
        index += expected.count
        return value
    }

    private mutating func number() throws(Failure) -> PSValue {
        let start = index
        while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if let integer = Int(text) { return .int(integer) }
        if let double = Double(text), !text.isEmpty { return .double(double) }
        throw Failure(message: "invalid number", offset: start)
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= Self.maxDepth else { throw Failure(message: "nested more than \(Self.maxDepth) levels", offset: index) }
    }

    private mutating func object() throws(Failure) -> PSValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var properties: [PSProperty] = []
        skipSpaces()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(PSObject(typeName: "System.Management.Automation.PSCustomObject", properties: [], isCustom: true))
        }
        while true {
            skipSpaces()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Failure(message: "expected a member name", offset: index) }
            let name = try string()
            skipSpaces()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Failure(message: "expected ':'", offset: index) }
            index += 1
            properties.append(PSProperty(name, try value()))
            skipSpaces()
            guard index < bytes.count else { throw Failure(message: "unterminated object", offset: index) }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw Failure(message: "expected ',' or '}'", offset: index)
        }
        return .object(PSObject(typeName: "System.Management.Automation.PSCustomObject", properties: properties, isCustom: true))
    }

    private mutating func array() throws(Failure) -> PSValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [PSValue] = []
        skipSpaces()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        while true {
            elements.append(try value())
            skipSpaces()
            guard index < bytes.count else { throw Failure(message: "unterminated array", offset: index) }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw Failure(message: "expected ',' or ']'", offset: index)
        }
        return .array(elements)
    }

    private mutating func string() throws(Failure) -> String {
        let start = index
        index += 1
        var scalars = String.UnicodeScalarView()
        var run = index
        func flushRun(_ end: Int) { scalars.append(contentsOf: String(decoding: bytes[run..<end], as: UTF8.self).unicodeScalars) }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flushRun(index)
                index += 1
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\") {
                flushRun(index)
                guard index + 1 < bytes.count else { break }
                let escape = bytes[index + 1]
                index += 2
                switch escape {
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: scalars.append(Unicode.Scalar(escape))
                }
                run = index
                continue
            }
            guard byte >= 0x20 else { throw Failure(message: "control character in a string", offset: index) }
            index += 1
        }
        throw Failure(message: "unterminated string", offset: start)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else {
            throw Failure(message: "invalid \\u escape", offset: index)
        }
        index += 4
        return code
    }
}
