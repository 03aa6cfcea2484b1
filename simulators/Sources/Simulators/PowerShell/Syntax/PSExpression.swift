/// An expression.
public indirect enum PSExpression: Sendable, Equatable {
    /// A literal value (strings, numbers, barewords in argument mode).
    case constant(PSValue)
    /// `"…"` with `$name` and `$(…)` expanded.
    case expandable([PSStringPart])
    /// `$name`.
    case variable(String)
    /// `expression.Name`.
    case member(PSExpression, String)
    /// `expression[index]`.
    case index(PSExpression, PSExpression)
    /// `@( statements )`.
    case arrayExpression([PSStatement])
    /// `$( statements )`.
    case subexpression([PSStatement])
    /// `( pipeline )`.
    case parenthesized(PSPipeline)
    /// `@{ key = statement; … }`.
    case hashtable([(key: String, value: PSStatement)])
    /// `a, b, c`.
    case list([PSExpression])
    /// `{ … }`.
    case scriptBlock(PSScriptBlock)
    /// `[type] expression`.
    case cast(String, PSExpression)
    /// `-not expression`, `!expression`.
    case not(PSExpression)
    /// `left -op right` (the operator in lowercase, without the dash).
    case binary(String, PSExpression, PSExpression)

    public static func == (lhs: PSExpression, rhs: PSExpression) -> Bool {
        switch (lhs, rhs) {
        case (.constant(let a), .constant(let b)): a == b
        case (.expandable(let a), .expandable(let b)): a == b
        case (.variable(let a), .variable(let b)): a == b
        case (.member(let a, let b), .member(let c, let d)): a == c && b == d
        case (.index(let a, let b), .index(let c, let d)): a == c && b == d
        case (.arrayExpression(let a), .arrayExpression(let b)): a == b
        case (.subexpression(let a), .subexpression(let b)): a == b
        case (.parenthesized(let a), .parenthesized(let b)): a == b
        case (.hashtable(let a), .hashtable(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.list(let a), .list(let b)): a == b
        case (.scriptBlock(let a), .scriptBlock(let b)): a == b
        case (.cast(let a, let b), .cast(let c, let d)): a == c && b == d
        case (.not(let a), .not(let b)): a == b
        case (.binary(let a, let b, let c), .binary(let d, let e, let f)): a == d && b == e && c == f
        default: false
        }
    }
}
