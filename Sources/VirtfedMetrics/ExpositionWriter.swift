/// Prometheus text format 0.0.4, written straight into bytes: family headers, label sets
/// (values escaped as the format says) and integer or decimal values. For the per-VM families
/// a scrape writes from the inventory each time, with no series objects kept between scrapes.
struct ExpositionWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Continues `bytes`, with room for `capacity` in all.
    init(continuing bytes: [UInt8], capacity: Int) {
        self.bytes = bytes
        self.bytes.reserveCapacity(capacity)
    }

    /// Bytes written elsewhere (whole lines).
    mutating func append(raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    /// `# HELP` and `# TYPE` lines.
    mutating func family(_ name: String, type: String, help: String) {
        append("# HELP "); append(name); append(" "); append(help); append("\n")
        append("# TYPE "); append(name); append(" "); append(type); append("\n")
    }

    /// One sample: `name{labels} value`. `labels` is an already written label list without
    /// braces (see `labels(_:)`), `extra` more pairs after it.
    mutating func sample(_ name: String, labels: [UInt8], extra: KeyValuePairs<String, String> = [:], value: UInt64) {
        open(name, labels: labels, extra: extra)
        appendDecimal(value)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// One sample with a decimal value.
    mutating func sample(_ name: String, labels: [UInt8], extra: KeyValuePairs<String, String> = [:], value: Double) {
        open(name, labels: labels, extra: extra)
        append(value.description)
        bytes.append(UInt8(ascii: "\n"))
    }

    private mutating func open(_ name: String, labels: [UInt8], extra: KeyValuePairs<String, String>) {
        append(name)
        bytes.append(UInt8(ascii: "{"))
        bytes.append(contentsOf: labels)
        var first = labels.isEmpty
        for (key, value) in extra {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            Self.label(key, value, into: &bytes)
        }
        append("} ")
    }

    /// `key="value",…` for `pairs`, values escaped.
    static func labels(_ pairs: KeyValuePairs<String, String>) -> [UInt8] {
        var out: [UInt8] = []
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            label(pair.key, pair.value, into: &out)
        }
        return out
    }

    private static func label(_ key: String, _ value: String, into out: inout [UInt8]) {
        out.append(contentsOf: key.utf8)
        out.append(contentsOf: "=\"".utf8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func appendDecimal(_ value: UInt64) {
        if value < 10 { bytes.append(UInt8(ascii: "0") + UInt8(value)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while rest > 0 {
                raw[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            bytes.append(contentsOf: raw[(20 - count)...])
        }
    }
}
