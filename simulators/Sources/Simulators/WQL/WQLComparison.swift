/// A comparison operator.
public enum WQLComparison: String, Sendable, Equatable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="

    /// The operator with its operands swapped (`5 < X` is `X > 5`).
    var swapped: WQLComparison {
        switch self {
        case .less: .greater
        case .greater: .less
        case .lessOrEqual: .greaterOrEqual
        case .greaterOrEqual: .lessOrEqual
        case .equal, .notEqual: self
        }
    }

    /// Compares a property's text form with a literal: numerically when both are numbers,
    /// as booleans for TRUE/FALSE, else as case-insensitive strings. NULL never compares.
    func holds(_ value: String, _ literal: WQLLiteral) -> Bool {
        let order: Int
        switch literal {
        case .null:
            return false
        case .number(let number):
            if let own = Int64(value) {
                order = own < number ? -1 : (own > number ? 1 : 0)
            } else {
                order = Self.compare(value, String(number))
            }
        case .boolean(let flag):
            let own = value.lowercased()
            guard own == "true" || own == "false" else { return false }
            let same = (own == "true") == flag
            switch self {
            case .equal: return same
            case .notEqual: return !same
            default: return false
            }
        case .string(let text):
            if let own = Int64(value), let other = Int64(text) {
                order = own < other ? -1 : (own > other ? 1 : 0)
            } else {
                order = Self.compare(value, text)
            }
        }
        switch self {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .greater: return order > 0
        case .lessOrEqual: return order <= 0
        case .greaterOrEqual: return order >= 0
        }
    }

    private static func compare(_ left: String, _ right: String) -> Int {
        let a = left.lowercased(), b = right.lowercased()
        return a < b ? -1 : (a > b ? 1 : 0)
    }
}
