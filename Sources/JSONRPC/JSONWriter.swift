/// Writes JSON text directly into bytes, for large answers that `JSONEncoder` makes slowly
/// (thousands of records per call). The caller writes the structure; strings are escaped as
/// RFC 8259 requires.
public struct JSONWriter: Sendable {
    /// The text so far.
    public private(set) var bytes: [UInt8]

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Punctuation or a key written as it is: `{"name":`. It must be valid JSON where it goes.
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A string value, quoted and escaped.
    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            // Runs that need no escaping (nearly all of them) go in one copy each.
            var start = 0
            for index in utf8.indices where utf8[index] < 0x20 || utf8[index] == UInt8(ascii: "\"") || utf8[index] == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(utf8[index])
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      hex[Int(byte >> 4)], hex[Int(byte & 0xf)]])
        }
    }

    /// A string value, or `null`.
    public mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// An integer value.
    public mutating func integer(_ value: Int) {
        decimal(negative: value < 0, magnitude: UInt64(value.magnitude))
    }

    /// An unsigned integer value.
    public mutating func integer(_ value: UInt64) {
        decimal(negative: false, magnitude: value)
    }

    /// An integer value, or `null`.
    public mutating func integer(_ value: Int?) {
        if let value { integer(value) } else { null() }
    }

    /// An unsigned integer value, or `null`.
    public mutating func integer(_ value: UInt64?) {
        if let value { integer(value) } else { null() }
    }

    /// Decimal digits written straight into the text.
    private mutating func decimal(negative: Bool, magnitude: UInt64) {
        if negative { bytes.append(UInt8(ascii: "-")) }
        var rest = magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for UInt64.max's 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// `true`, `false`, or `null`.
    public mutating func bool(_ value: Bool?) {
        switch value {
        case .some(true): raw("true")
        case .some(false): raw("false")
        case .none: null()
        }
    }

    /// `null`.
    public mutating func null() {
        raw("null")
    }

    /// An array of strings.
    public mutating func strings(_ values: [String]) {
        raw("[")
        for (index, value) in values.enumerated() {
            if index > 0 { raw(",") }
            string(value)
        }
        raw("]")
    }
}
