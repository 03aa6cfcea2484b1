import JSONText

/// One object of a list `ConvertTo-Json` wrote, filled member by member.
protocol PowerShellRow {
    init()
    /// Reads the value of `member` (skipping it when the row has no use for it); false when the
    /// bytes are not JSON.
    mutating func read(_ member: String, from cursor: inout JSONCursor) -> Bool
}

/// What `ConvertTo-Json` writes, read leniently in one pass over the bytes (`JSONCursor`; a
/// listing of 5,000 VMs is several MB): a value is taken for what it can stand for, and a value
/// of another kind reads as absent, never as a failure. Each reader returns false only when the
/// bytes are not JSON at all.
enum PowerShellJSON {
    /// How deep lists may nest in lists (`{"value": …}` wrappers) before the answer is refused.
    static let maxDepth = 16

    /// Text where text belongs: a string (empty reads as absent), or a number written out.
    static func text(_ cursor: inout JSONCursor, into value: inout String?) -> Bool {
        switch cursor.peek() ?? 0 {
        case UInt8(ascii: "\""):
            guard let text = cursor.string() else { return false }
            value = text.isEmpty ? nil : text
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let number = cursor.number() else { return false }
            value = number.rounded() == number && abs(number) < 9e15 ? String(Int(number)) : String(number)
            return true
        default:
            value = nil
            return cursor.skipValue()
        }
    }

    /// A whole number: a JSON number (a fraction truncated; beyond ±9e18 absent), or text holding one.
    static func integer(_ cursor: inout JSONCursor, into value: inout Int?) -> Bool {
        switch cursor.peek() ?? 0 {
        case UInt8(ascii: "\""):
            guard let text = cursor.string() else { return false }
            value = Int(text.trimmingSpaces)
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let number = cursor.number() else { return false }
            value = abs(number) < 9e18 ? Int(number) : nil
            return true
        default:
            value = nil
            return cursor.skipValue()
        }
    }

    /// A list of objects. One object alone counts as a one-element list (PowerShell unrolls
    /// single-element arrays where `@()` is forgotten, and a calculated property's single
    /// output); Windows PowerShell 5.1's wrapping of several outputs, `{"value": […], "Count": n}`,
    /// as its list; elements that are not objects, and anything else, as nothing.
    static func rows<Row: PowerShellRow>(_ cursor: inout JSONCursor, into rows: inout [Row], depth: Int = 0) -> Bool {
        rows = []
        guard depth < maxDepth else { return false }
        switch cursor.peek() ?? 0 {
        case UInt8(ascii: "["):
            return cursor.array { cursor in
                guard cursor.peek() == UInt8(ascii: "{") else { return cursor.skipValue() }
                var row = Row()
                guard cursor.object({ cursor, member in row.read(member, from: &cursor) }) else { return false }
                rows.append(row)
                return true
            }
        case UInt8(ascii: "{"):
            var row = Row()
            var wrapped: [Row] = []
            var members: Set<String> = []
            let read = cursor.object { cursor, member in
                members.insert(member)
                return member == "value" ? Self.rows(&cursor, into: &wrapped, depth: depth + 1) : row.read(member, from: &cursor)
            }
            rows = members == ["value", "Count"] ? wrapped : [row]
            return read
        default:
            return cursor.skipValue()
        }
    }
}

extension String {
    /// Without leading and trailing spaces.
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map(index(after:)) ?? start
        return self[start..<max(start, end)]
    }
}
