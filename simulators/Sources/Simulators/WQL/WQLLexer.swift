/// Splits WQL text into tokens. Strings may use `'…'` or `"…"`, with backslash escapes
/// (virBufferEscapeSQL's `\'`, `\"`, `\\`); `{…}` is kept whole as an object path.
struct WQLLexer {
    private let characters: [Character]
    private var position = 0

    init(_ text: String) { characters = Array(text) }

    /// Every token, ending with `.end`.
    static func tokenize(_ text: String) throws(WQLError) -> [WQLToken] {
        var lexer = WQLLexer(text)
        var tokens: [WQLToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private mutating func next() throws(WQLError) -> WQLToken {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
        let start = position
        guard position < characters.count else { return WQLToken(kind: .end, offset: start) }
        let character = characters[position]
        if character == "'" || character == "\"" {
            return WQLToken(kind: .string(try quoted(character)), offset: start)
        }
        if character == "{" {
            var depthQuote: Character?
            position += 1
            var text = ""
            while position < characters.count {
                let current = characters[position]
                if let quote = depthQuote {
                    if current == "\\", position + 1 < characters.count {
                        text.append(current)
                        text.append(characters[position + 1])
                        position += 2
                        continue
                    }
                    if current == quote { depthQuote = nil }
                } else if current == "'" || current == "\"" {
                    depthQuote = current
                } else if current == "}" {
                    position += 1
                    return WQLToken(kind: .objectPath(text), offset: start)
                }
                text.append(current)
                position += 1
            }
            throw .syntax("unterminated object path", offset: start)
        }
        if character.isNumber || (character == "-" && position + 1 < characters.count && characters[position + 1].isNumber) {
            var text = String(character)
            position += 1
            while position < characters.count, characters[position].isNumber {
                text.append(characters[position])
                position += 1
            }
            guard let value = Int64(text) else { throw .syntax("number out of range: \(text)", offset: start) }
            if position < characters.count, characters[position].isLetter || characters[position] == "." {
                throw .syntax("malformed number", offset: start)
            }
            return WQLToken(kind: .number(value), offset: start)
        }
        if character.isLetter || character == "_" {
            var text = ""
            while position < characters.count, characters[position].isLetter || characters[position].isNumber || characters[position] == "_" {
                text.append(characters[position])
                position += 1
            }
            return WQLToken(kind: .word(text), offset: start)
        }
        let pair = position + 1 < characters.count ? String([character, characters[position + 1]]) : ""
        if ["!=", "<>", "<=", ">="].contains(pair) {
            position += 2
            return WQLToken(kind: .symbol(pair), offset: start)
        }
        if "=<>(),*.".contains(character) {
            position += 1
            return WQLToken(kind: .symbol(String(character)), offset: start)
        }
        throw .syntax("unexpected character '\(character)'", offset: start)
    }

    private mutating func quoted(_ quote: Character) throws(WQLError) -> String {
        let start = position
        position += 1
        var text = ""
        while position < characters.count {
            let current = characters[position]
            if current == "\\" && position + 1 < characters.count {
                text.append(characters[position + 1])
                position += 2
                continue
            }
            position += 1
            if current == quote { return text }
            text.append(current)
        }
        throw .syntax("unterminated string", offset: start)
    }
}
