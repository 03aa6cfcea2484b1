/// `ConvertTo-Json` as Windows PowerShell 5.1 writes it: enums as integers, objects and hashtables
/// as JSON objects in property order, arrays as arrays (a `[psobject]`-wrapped one as
/// `{"value": [...], "Count": n}`, 5.1's ETS quirk); past `-Depth` (arrays count as a level) a
/// value becomes its string form (`System.Collections.Hashtable`, `@{Name=…}`, space-joined
/// arrays), as PowerShell converts it. Strings escaped as JavaScriptSerializer does (`<`, `>`,
/// `&`, `'` as `\u003c` …). Without `-Compress`, 5.1's layout: `"name":  value`, a nested object's
/// or array's members 4 columns right of its opening bracket, the closing bracket under it.
public enum PSJSONWriter {
    /// The most values one conversion visits (hostile nesting of shared arrays cannot explode it).
    public static let maxValues = 2_000_000

    /// The JSON text of `value`; an error past `maxValues` values.
    public static func write(_ value: PSValue, depth: Int = 2, compress: Bool = false) throws(PSErrorRecord) -> String {
        var budget = maxValues
        let tree = node(value, level: 0, maxDepth: depth, budget: &budget)
        guard budget >= 0 else {
            throw PSErrorRecord(message: "The object is too large to convert to JSON (more than \(maxValues) values).", category: "LimitsExceeded",
                                reason: "InvalidOperationException", errorID: "JsonTooLarge")
        }
        var out = ""
        emit(tree, into: &out, compress: compress, indent: 0)
        return out
    }

    private indirect enum Node {
        case literal(String)
        case string(String)
        case array([Node])
        case object([(String, Node)])
    }

    private static func node(_ value: PSValue, level: Int, maxDepth: Int, budget: inout Int) -> Node {
        budget -= 1
        guard budget >= 0 else { return .literal("null") }
        switch value {
        case .null: return .literal("null")
        case .bool(let flag): return .literal(flag ? "true" : "false")
        case .int(let number): return .literal(String(number))
        case .double(let number): return .literal(number.isFinite ? PSValue.format(number) : "null")
        case .string(let text): return .string(text)
        case .enumeration(let enumeration): return .literal(String(enumeration.rawValue))
        case .scriptBlock(let block): return .string(block.text)
        case .wrappedArray(let elements):
            // The array (past -Depth its string form), then the [psobject] wrapper's ETS Count.
            var inner = Node.string(value.text)
            if level <= maxDepth {
                var nodes: [Node] = []
                for element in elements where budget >= 0 { nodes.append(node(element, level: level + 1, maxDepth: maxDepth, budget: &budget)) }
                inner = .array(nodes)
            }
            return .object([("value", inner), ("Count", .literal(String(elements.count)))])
        case .array, .hashtable, .object:
            guard level <= maxDepth else { return .string(value.text) }
            switch value {
            case .array(let elements):
                var nodes: [Node] = []
                for element in elements where budget >= 0 { nodes.append(node(element, level: level + 1, maxDepth: maxDepth, budget: &budget)) }
                return .array(nodes)
            case .hashtable, .object:
                var properties: [PSProperty] = []
                if case .hashtable(let entries) = value { properties = entries }
                if case .object(let object) = value { properties = object.properties }
                var members: [(String, Node)] = []
                for property in properties where budget >= 0 {
                    members.append((property.name, node(property.value, level: level + 1, maxDepth: maxDepth, budget: &budget)))
                }
                return .object(members)
            default: return .literal("null")
            }
        }
    }

    /// Writes `node`, whose first character lands in column `indent`.
    private static func emit(_ node: Node, into out: inout String, compress: Bool, indent: Int) {
        let newline = compress ? "" : "\r\n"
        let pad = compress ? "" : String(repeating: " ", count: indent + 4)
        let closePad = compress ? "" : String(repeating: " ", count: indent)
        switch node {
        case .literal(let text): out += text
        case .string(let text): out += quoted(text)
        case .array(let elements):
            guard !elements.isEmpty else { out += "[]"; return }
            out += "[" + newline
            for (index, element) in elements.enumerated() {
                out += pad
                emit(element, into: &out, compress: compress, indent: indent + 4)
                out += (index + 1 < elements.count ? "," : "") + newline
            }
            out += closePad + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{" + newline
            for (index, member) in members.enumerated() {
                let key = quoted(member.0) + (compress ? ":" : ":  ")
                out += pad + key
                emit(member.1, into: &out, compress: compress, indent: indent + 4 + key.count)
                out += (index + 1 < members.count ? "," : "") + newline
            }
            out += closePad + "}"
        }
    }

    /// A JSON string literal, escaped as .NET's JavaScriptSerializer does.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<", ">", "&", "'":
                out += "\\u00" + String(scalar.value, radix: 16)
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
