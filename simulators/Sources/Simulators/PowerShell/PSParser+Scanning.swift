/// Character-level scanning for `PSParser`: spaces, comments, line continuations, names,
/// barewords, type literals, strings.
extension PSParser {
    static let keywords: Set<String> = ["if", "elseif", "else", "throw", "exit", "foreach", "for", "while", "do", "until",
                                        "function", "filter", "workflow", "try", "catch", "finally", "trap", "switch",
                                        "return", "break", "continue", "param", "begin", "process", "end", "class", "enum",
                                        "using", "data", "dynamicparam", "configuration"]

    func peek(_ offset: Int = 0) -> Character? {
        position + offset < text.count ? text[position + offset] : nil
    }

    mutating func enter() throws(PSParseError) {
        depth += 1
        guard depth <= Self.maxDepth else {
            throw PSParseError("The script is nested more than \(Self.maxDepth) levels deep.", id: "ScriptNestedTooDeeply", at: position)
        }
    }

    mutating func expect(_ character: Character, _ message: String, id: String) throws(PSParseError) {
        guard peek() == character else { throw PSParseError(message, id: id, at: position) }
        position += 1
    }

    /// Skips blanks, comments and backtick line continuations (and newlines when asked).
    mutating func skipSpaces(newlines: Bool = false) {
        while let character = peek() {
            if character.isNewline {
                guard newlines else { return }
                position += 1
            } else if character.isWhitespace {
                position += 1
            } else if character == "`", let next = peek(1), next.isNewline {
                position += 2
            } else if character == "<", peek(1) == "#" {
                position += 2
                while position < text.count, !(peek() == "#" && peek(1) == ">") { position += 1 }
                position = min(text.count, position + 2)
            } else if character == "#" {
                while let c = peek(), !c.isNewline { position += 1 }
            } else {
                return
            }
        }
    }

    /// Skips blanks, newlines and `;`.
    mutating func skipSeparators() {
        while true {
            skipSpaces(newlines: true)
            guard peek() == ";" else { return }
            position += 1
        }
    }

    /// A keyword starting here (lowercased), not consumed.
    func keywordAhead() -> String? {
        var word = ""
        var index = position
        while index < text.count, text[index].isLetter {
            word.append(text[index])
            index += 1
        }
        if index < text.count, Self.isNameCharacter(text[index]) || text[index] == "-" || text[index] == ":" { return nil }
        let lowered = word.lowercased()
        return Self.keywords.contains(lowered) ? lowered : nil
    }

    /// `-op` ahead (after blanks) for one of `operators`: consumed and returned (lowercased).
    mutating func operatorAhead(_ operators: [String]) -> String? {
        let saved = position
        skipSpaces()
        guard let character = peek(), Self.isDash(character) else { position = saved; return nil }
        var index = position + 1, word = ""
        while index < text.count, text[index].isLetter {
            word.append(text[index])
            index += 1
        }
        let lowered = word.lowercased()
        guard operators.contains(lowered), index >= text.count || !Self.isNameCharacter(text[index]) else { position = saved; return nil }
        position = index
        return lowered
    }

    /// `$name`, `${name}`, `$scope:name`, `$_`, `$?`: the name without `$`.
    mutating func variableName() throws(PSParseError) -> String {
        let start = position
        position += 1
        if peek() == "{" {
            position += 1
            var name = ""
            while let c = peek(), c != "}" {
                name.append(c)
                position += 1
            }
            try expect("}", "Missing '}' in variable reference.", id: "MissingEndCurlyBrace")
            return name
        }
        var name = ""
        if let c = peek(), c == "?" || c == "^" || c == "$" {
            position += 1
            return String(c)
        }
        while let c = peek() {
            if Self.isNameCharacter(c) {
                name.append(c)
                position += 1
            } else if c == ":", let next = peek(1), Self.isNameCharacter(next), !name.isEmpty {
                name.append(c)
                position += 1
            } else {
                break
            }
        }
        guard !name.isEmpty else {
            throw PSParseError("Variable reference is not valid. '$' was not followed by a valid variable name character.",
                               id: "InvalidVariableReference", at: start)
        }
        for scope in ["global:", "script:", "local:", "private:"] where name.lowercased().hasPrefix(scope) {
            name = String(name.dropFirst(scope.count))
        }
        return name
    }

    /// A bareword (command name or argument-mode word): up to a blank or `|;(){},`; backticks escape.
    mutating func bareword(stoppingAt extra: Character? = nil) -> String {
        var word = ""
        while let c = peek() {
            if c.isWhitespace || "|;(){},".contains(c) || c == extra { break }
            if c == "`", let next = peek(1), !next.isNewline {
                word.append(Self.escaped(next))
                position += 2
                continue
            }
            word.append(c)
            position += 1
        }
        return word
    }

    /// `[type]` (nested brackets allowed, `[object[]]`): the type name.
    mutating func typeLiteral() throws(PSParseError) -> String {
        let start = position
        position += 1
        var nesting = 1, name = ""
        while let c = peek() {
            position += 1
            if c == "[" { nesting += 1 }
            if c == "]" {
                nesting -= 1
                if nesting == 0 { return name.trimmingSpaces }
            }
            guard !c.isNewline else { break }
            name.append(c)
        }
        throw PSParseError("Missing ] at end of type token.", id: "EndSquareBracketExpectedAtEndOfType", at: start)
    }

    /// `'…'` with `''` (any two single quotes, ASCII or U+2018–U+201B) standing for one.
    mutating func singleQuoted() throws(PSParseError) -> String {
        let start = position
        position += 1
        var value = ""
        while let c = peek() {
            position += 1
            if Self.isQuote(c) {
                if let next = peek(), Self.isQuote(next) {
                    value.append(next)
                    position += 1
                    continue
                }
                return value
            }
            value.append(c)
        }
        throw PSParseError("The string is missing the terminator: '.", id: "TerminatorExpectedAtEndOfString", at: start)
    }

    /// `"…"`: backtick escapes, `""`, `$name` and `$(…)` expansion.
    mutating func doubleQuoted() throws(PSParseError) -> PSExpression {
        let start = position
        position += 1
        var parts: [PSStringPart] = [], literal = ""
        func flush() {
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
        }
        while let c = peek() {
            if Self.isDoubleQuote(c) {
                position += 1
                if let next = peek(), Self.isDoubleQuote(next) {
                    literal.append(next)
                    position += 1
                    continue
                }
                flush()
                return .expandable(parts)
            }
            if c == "`", let next = peek(1) {
                literal.append(Self.escaped(next))
                position += 2
                continue
            }
            if c == "$", peek(1) == "(" {
                flush()
                position += 2
                parts.append(.subexpression(try statementList(until: ")")))
                continue
            }
            if c == "$", let next = peek(1), Self.isNameCharacter(next) || next == "{" {
                flush()
                parts.append(.variable(try variableName()))
                continue
            }
            literal.append(c)
            position += 1
        }
        throw PSParseError("The string is missing the terminator: \".", id: "TerminatorExpectedAtEndOfString", at: start)
    }

    /// The next run of non-blank characters (for error messages).
    func word() -> String {
        var index = position, word = ""
        while index < text.count, !text[index].isWhitespace, word.count < 40 {
            word.append(text[index])
            index += 1
        }
        return word
    }

    func atStatementEnd() -> Bool {
        guard let c = peek() else { return true }
        return Self.isStatementEnd(c) || c == "}" || c == ")"
    }

    func startsExpression(_ c: Character) -> Bool {
        if c == "$" || c == "(" || c == "@" || c == "[" || c == "{" || c == "!" || c.isNumber || Self.isQuote(c) || Self.isDoubleQuote(c) {
            return true
        }
        if Self.isDash(c), let next = peek(1) {
            if next.isNumber { return true }
            var copy = self
            return copy.operatorAhead(["not"]) != nil
        }
        return false
    }

    static func escaped(_ c: Character) -> Character {
        switch c {
        case "n": "\n"
        case "r": "\r"
        case "t": "\t"
        case "0": "\0"
        case "a": "\u{07}"
        case "b": "\u{08}"
        case "f": "\u{0C}"
        case "v": "\u{0B}"
        case "e": "\u{1B}"
        default: c
        }
    }

    static func isNameCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
    static func isCommandNameStart(_ c: Character) -> Bool { c.isLetter || c == "_" || c == "." || c == "\\" }
    static func isStatementEnd(_ c: Character) -> Bool { c == ";" || c.isNewline }
    /// `-` and the dashes PowerShell accepts in its place (en, em, horizontal bar).
    static func isDash(_ c: Character) -> Bool { c == "-" || c == "\u{2013}" || c == "\u{2014}" || c == "\u{2015}" }
    /// `'` and U+2018–U+201B, which PowerShell treats as single quotes.
    static func isQuote(_ c: Character) -> Bool { c == "'" || ("\u{2018}"..."\u{201B}").contains(c) }
    /// `"` and U+201C–U+201E.
    static func isDoubleQuote(_ c: Character) -> Bool { c == "\"" || ("\u{201C}"..."\u{201E}").contains(c) }
}
