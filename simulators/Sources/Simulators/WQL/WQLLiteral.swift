/// A literal on the right of a comparison.
public enum WQLLiteral: Sendable, Equatable {
    /// `'text'` or `"text"`.
    case string(String)
    /// An integer.
    case number(Int64)
    /// `TRUE` / `FALSE`.
    case boolean(Bool)
    /// `NULL`.
    case null
}
