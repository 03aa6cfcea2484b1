/// `Class.Key='value',Key2="value"` as written inside `ASSOCIATORS OF {…}`; an optional
/// `\\server\namespace:` prefix is accepted and ignored.
public struct WQLObjectPath: Sendable, Equatable {
    /// The class name.
    public var className: String
    /// The key bindings, in order.
    public var keys: [(name: String, value: String)]

    public static func == (lhs: WQLObjectPath, rhs: WQLObjectPath) -> Bool {
        lhs.className == rhs.className && lhs.keys.map(\.name) == rhs.keys.map(\.name) && lhs.keys.map(\.value) == rhs.keys.map(\.value)
    }

    /// Parses the text inside the braces.
    public static func parse(_ text: String, offset: Int = 0) throws(WQLError) -> WQLObjectPath {
        var body = Substring(text.trimmingSpaces)
        if let colon = body.firstIndex(of: ":"), body.hasPrefix("\\\\") || body.hasPrefix("root") {
            body = body[body.index(after: colon)...]
        }
        let tokens = try WQLLexer.tokenize(String(body))
        func kind(_ index: Int) -> WQLToken.Kind { index < tokens.count ? tokens[index].kind : .end }
        var index = 0
        guard case .word(let className) = kind(index) else { throw .syntax("object path must start with a class name", offset: offset) }
        index += 1
        var keys: [(name: String, value: String)] = []
        if kind(index) == .symbol("=") {
            // Singleton form `{Class=@}` is not supported; a lone `=` is a syntax error.
            throw .syntax("object path without key names", offset: offset)
        }
        if kind(index) == .symbol(".") {
            index += 1
            while true {
                guard case .word(let name) = kind(index) else { throw .syntax("expected a key name in object path", offset: offset) }
                guard kind(index + 1) == .symbol("=") else { throw .syntax("expected '=' after \(name) in object path", offset: offset) }
                let value: String
                switch kind(index + 2) {
                case .string(let text): value = text
                case .number(let number): value = String(number)
                case .word(let word): value = word
                default: throw .syntax("expected a value for \(name) in object path", offset: offset)
                }
                keys.append((name, value))
                index += 3
                if kind(index) == .symbol(",") { index += 1; continue }
                break
            }
        }
        guard kind(index) == .end else { throw .syntax("unexpected text in object path", offset: offset) }
        guard !keys.isEmpty else { throw .syntax("object path \(className) has no keys", offset: offset) }
        return WQLObjectPath(className: className, keys: keys)
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
