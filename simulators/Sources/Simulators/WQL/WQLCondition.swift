/// A `WHERE` condition.
public indirect enum WQLCondition: Sendable, Equatable {
    /// Both hold.
    case and(WQLCondition, WQLCondition)
    /// Either holds.
    case or(WQLCondition, WQLCondition)
    /// The inner condition does not hold.
    case not(WQLCondition)
    /// `Property <op> literal` (a literal on the left is normalised to the right).
    case comparison(property: String, WQLComparison, WQLLiteral)
    /// `Property LIKE 'pattern'` with `%`, `_` and `[set]`.
    case like(property: String, pattern: String)
    /// `Property IS NULL`.
    case isNull(property: String)

    /// Every property the condition reads.
    public var properties: [String] {
        switch self {
        case .and(let left, let right), .or(let left, let right): left.properties + right.properties
        case .not(let inner): inner.properties
        case .comparison(let property, _, _), .like(let property, _), .isNull(let property): [property]
        }
    }

    /// Whether `instance` satisfies the condition. WQL string comparison is case-insensitive;
    /// a comparison with a null property is false (so `NOT` of it is true).
    public func matches(_ instance: WMIInstance) -> Bool {
        switch self {
        case .and(let left, let right): left.matches(instance) && right.matches(instance)
        case .or(let left, let right): left.matches(instance) || right.matches(instance)
        case .not(let inner): !inner.matches(instance)
        case .isNull(let property): instance[property].map { $0 == .null || $0 == .array([]) } ?? true
        case .like(let property, let pattern):
            instance[property].map { value in
                Self.values(of: value).contains { WQLLikePattern(pattern).matches($0) }
            } ?? false
        case .comparison(let property, let comparison, let literal):
            instance[property].map { value in
                Self.values(of: value).contains { comparison.holds($0, literal) }
            } ?? false
        }
    }

    private static func values(of value: WMIValue) -> [String] {
        if case .array(let elements) = value { return elements.compactMap(\.text) }
        return value.text.map { [$0] } ?? []
    }
}
