/// A piece of a double-quoted string.
public enum PSStringPart: Sendable, Equatable {
    /// Literal text.
    case literal(String)
    /// `$name`.
    case variable(String)
    /// `$( statements )`.
    case subexpression([PSStatement])
}
