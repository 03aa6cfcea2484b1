/// Expression evaluation for `PSInterpreter`, and PowerShell's member access, indexing and
/// comparison operators.
extension PSInterpreter {
    func evaluate(_ expression: PSExpression) throws(Interrupt) -> PSValue {
        switch expression {
        case .constant(let value): return value
        case .expandable(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .literal(let literal): text += literal
                case .variable(let name): text += variable(name).text
                case .subexpression(let statements):
                    var output: [PSValue] = []
                    try execute(statements, into: &output)
                    text += PSValue.collapsing(output).text
                }
            }
            return .string(text)
        case .variable(let name): return variable(name)
        case .member(let target, let name): return Self.member(name, of: try evaluate(target))
        case .index(let target, let index): return Self.index(try evaluate(index), of: try evaluate(target))
        case .arrayExpression(let statements):
            var output: [PSValue] = []
            try execute(statements, into: &output)
            return .array(output)
        case .subexpression(let statements):
            var output: [PSValue] = []
            try execute(statements, into: &output)
            return .collapsing(output)
        case .parenthesized(let pipeline): return try value(of: .pipeline(pipeline))
        case .hashtable(let entries):
            var properties: [PSProperty] = []
            for entry in entries {
                let value = try value(of: entry.value)
                if let existing = properties.firstIndex(where: { $0.name.lowercased() == entry.key.lowercased() }) {
                    throw .error(PSErrorRecord(message: "Duplicate keys '\(properties[existing].name)' are not allowed in hash literals.",
                                               category: "InvalidOperation", reason: "RuntimeException", errorID: "DuplicateKeyInHashLiteral"),
                                 scriptTerminating: false)
                }
                properties.append(PSProperty(entry.key, value))
            }
            return .hashtable(properties)
        case .list(let items):
            var values: [PSValue] = []
            for item in items { values.append(try evaluate(item)) }
            return .array(values)
        case .scriptBlock(let block): return .scriptBlock(block)
        case .cast(let type, let operand):
            let value = try evaluate(operand)
            do { return try value.cast(to: type) } catch { throw .error(error, scriptTerminating: false) }
        case .not(let operand): return .bool(!(try evaluate(operand).isTrue))
        case .binary(let op, let left, let right):
            let lhs = try evaluate(left)
            switch op {
            case "and":
                guard lhs.isTrue else { return .bool(false) }
                return .bool(try evaluate(right).isTrue)
            case "or":
                guard !lhs.isTrue else { return .bool(true) }
                return .bool(try evaluate(right).isTrue)
            case "xor":
                let rhs = try evaluate(right)
                return .bool(lhs.isTrue != rhs.isTrue)
            default: return Self.compare(op, lhs, try evaluate(right))
            }
        }
    }

    /// `value.Name`: a property (or hashtable key), `Count`/`Length`, member enumeration on arrays.
    static func member(_ name: String, of value: PSValue) -> PSValue {
        let key = name.lowercased()
        switch value {
        case .object(let object):
            if let property = object.property(name) { return property.value }
            return key == "count" || key == "length" ? .int(1) : .null
        case .hashtable(let entries):
            if let entry = entries.first(where: { $0.name.lowercased() == key }) { return entry.value }
            if key == "count" { return .int(entries.count) }
            if key == "keys" { return .array(entries.map { .string($0.name) }) }
            if key == "values" { return .array(entries.map(\.value)) }
            return .null
        case .array(let elements), .wrappedArray(let elements):
            if key == "count" || key == "length" { return .int(elements.count) }
            let values = elements.map { member(name, of: $0) }.filter { !$0.isNull }.flatMap(\.pipelineItems)
            return .collapsing(values)
        case .string(let text): return key == "length" ? .int(text.count) : .null
        case .enumeration(let enumeration): return key == "value__" ? .int(enumeration.rawValue) : .null
        case .null: return .null
        default: return key == "count" ? .int(1) : .null
        }
    }

    static func index(_ index: PSValue, of value: PSValue) -> PSValue {
        switch value {
        case .array(let elements), .wrappedArray(let elements):
            guard let position = index.number.map({ Int($0) }) else { return .null }
            let resolved = position < 0 ? elements.count + position : position
            return elements.indices.contains(resolved) ? elements[resolved] : .null
        case .hashtable: return member(index.text, of: value)
        default:
            return index.number == 0 ? value : .null
        }
    }

    /// Comparison operators; an array on the left filters its elements.
    static func compare(_ op: String, _ left: PSValue, _ right: PSValue) -> PSValue {
        if case .array(let elements) = left {
            return .array(elements.filter { compare(op, $0, right).isTrue })
        }
        if case .wrappedArray(let elements) = left {
            return .array(elements.filter { compare(op, $0, right).isTrue })
        }
        let caseSensitive = op.hasPrefix("c")
        let base = op.hasPrefix("c") || op.hasPrefix("i") ? String(op.dropFirst()) : op
        switch base {
        case "eq": return .bool(left.equals(right, caseSensitive: caseSensitive))
        case "ne": return .bool(!left.equals(right, caseSensitive: caseSensitive))
        case "like": return .bool(PSWildcard.matches(right.text, left.text))
        case "notlike": return .bool(!PSWildcard.matches(right.text, left.text))
        default:
            let order: Int
            if let l = left.number, let r = right.number, !(left.isString && right.isString) {
                order = l < r ? -1 : (l > r ? 1 : 0)
            } else {
                let l = left.text.lowercased(), r = right.text.lowercased()
                order = l < r ? -1 : (l > r ? 1 : 0)
            }
            switch base {
            case "gt": return .bool(order > 0)
            case "ge": return .bool(order >= 0)
            case "lt": return .bool(order < 0)
            default: return .bool(order <= 0)
            }
        }
    }
}

extension PSValue {
    var isString: Bool {
        if case .string = self { return true }
        return false
    }
}
