/// A lexical token of WQL.
struct WQLToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A bare word: a keyword, class or property name (case kept).
        case word(String)
        /// A quoted string, unescaped.
        case string(String)
        /// An integer literal.
        case number(Int64)
        /// An operator or punctuation: `= != <> < > <= >= ( ) , * .`
        case symbol(String)
        /// The raw text inside `{…}` (an object path).
        case objectPath(String)
        /// End of input.
        case end
    }

    var kind: Kind
    /// Offset of the token's first character in the query.
    var offset: Int

    /// True when this is the keyword `keyword` (case-insensitively).
    func isKeyword(_ keyword: String) -> Bool {
        if case .word(let word) = kind { return word.uppercased() == keyword }
        return false
    }
}
