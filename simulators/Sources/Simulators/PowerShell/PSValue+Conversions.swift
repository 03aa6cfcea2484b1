/// PowerShell's conversions (LanguagePrimitives): to string, to bool, equality and casts.
extension PSValue {
    /// `[string]$value`: `$null` → "", arrays joined with spaces, enums by name, a hashtable as
    /// its type name, a PSCustomObject as `@{Name=value; …}`, other objects by `ToString()`.
    /// Bounded: past `maxTextLength` characters the text is cut (hostile nesting cannot explode it).
    public var text: String {
        var out = ""
        var budget = Self.maxTextLength
        appendText(to: &out, budget: &budget)
        return out
    }

    /// The longest string form built.
    static let maxTextLength = 1 << 22

    private func appendText(to out: inout String, budget: inout Int) {
        guard budget > 0 else { return }
        func add(_ piece: String) {
            out += piece.count <= budget ? piece : String(piece.prefix(budget))
            budget -= piece.count
        }
        switch self {
        case .null: break
        case .bool(let value): add(value ? "True" : "False")
        case .int(let value): add(String(value))
        case .double(let value): add(Self.format(value))
        case .string(let value): add(value)
        case .enumeration(let value): add(value.name)
        case .array(let elements), .wrappedArray(let elements):
            for (index, element) in elements.enumerated() where budget > 0 {
                if index > 0 { add(" ") }
                element.appendText(to: &out, budget: &budget)
            }
        case .hashtable: add("System.Collections.Hashtable")
        case .object(let object):
            guard object.isCustom else {
                add(object.display ?? object.typeName)
                return
            }
            add("@{")
            for (index, property) in object.properties.enumerated() where budget > 0 {
                add((index > 0 ? "; " : "") + property.name + "=")
                property.value.appendText(to: &out, budget: &budget)
            }
            add("}")
        case .scriptBlock(let block): add(block.text)
        }
    }

    /// A double as PowerShell prints it (integral values without a fraction).
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// `[bool]$value`.
    public var isTrue: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): value != 0
        case .string(let value): !value.isEmpty
        case .enumeration(let value): value.rawValue != 0
        case .array(let elements), .wrappedArray(let elements): elements.count == 1 ? elements[0].isTrue : !elements.isEmpty
        case .hashtable, .object, .scriptBlock: true
        }
    }

    /// The value as a number, when it is one or a string that spells one.
    var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .bool(let value): value ? 1 : 0
        case .enumeration(let value): Double(value.rawValue)
        case .string(let value): Double(value.trimmingSpaces)
        default: nil
        }
    }

    /// `-eq` with this value on the left (a scalar; arrays filter, see `PSInterpreter`).
    func equals(_ other: PSValue, caseSensitive: Bool = false) -> Bool {
        switch self {
        case .null: return other.isNull
        case .string(let value):
            if other.isNull { return false }
            return caseSensitive ? value == other.text : value.lowercased() == other.text.lowercased()
        case .int, .double:
            guard let left = number, let right = other.number else { return false }
            return left == right
        case .bool(let value): return value == other.isTrue
        case .enumeration(let value):
            switch other {
            case .string(let name): return name.lowercased() == value.name.lowercased() || Int(name) == value.rawValue
            case .int(let raw): return raw == value.rawValue
            case .enumeration(let right): return right.rawValue == value.rawValue && right.typeName == value.typeName
            default: return false
            }
        default: return self == other
        }
    }

    /// `[type]$value`.
    func cast(to type: String) throws(PSErrorRecord) -> PSValue {
        let name = type.lowercased().replacingOccurrences(of: "system.", with: "")
        switch name {
        case "string": return .string(text)
        case "bool", "boolean": return .bool(isTrue)
        case "int", "int32", "long", "int64":
            if case .int = self { return self }
            if isNull { return .int(0) }
            if let value = number, value.isFinite, abs(value) < 9.2e18 { return .int(Int(value.rounded())) }
            throw Self.castError(self, "System.Int32", "Input string was not in a correct format.")
        case "double":
            if isNull { return .double(0) }
            if let value = number { return .double(value) }
            throw Self.castError(self, "System.Double", "Input string was not in a correct format.")
        case "guid":
            if let guid = GUIDText.normalized(text) { return .string(guid) }
            throw Self.castError(self, "System.Guid", "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).")
        case "array", "object[]", "psobject[]":
            return isNull ? .array([]) : .array(pipelineItems)
        case "object", "psobject": return self
        case "hashtable", "collections.hashtable":
            if case .hashtable = self { return self }
            throw Self.castError(self, "System.Collections.Hashtable", "Only hashtables can be cast to a hashtable here.")
        case "pscustomobject", "management.automation.pscustomobject":
            if case .hashtable(let entries) = self {
                return .object(PSObject(typeName: "System.Management.Automation.PSCustomObject", properties: entries, isCustom: true))
            }
            return self
        default:
            throw PSErrorRecord(message: "Unable to find type [\(type)].", category: "InvalidOperation", reason: "RuntimeException",
                                target: "\(type):TypeName", errorID: "TypeNotFound")
        }
    }

    private static func castError(_ value: PSValue, _ type: String, _ detail: String) -> PSErrorRecord {
        PSErrorRecord(message: "Cannot convert value \"\(value.text)\" to type \"\(type)\". Error: \"\(detail)\"",
                      category: "InvalidArgument", reason: "PSInvalidCastException", errorID: "InvalidCastParseTargetInvocation")
    }
}
