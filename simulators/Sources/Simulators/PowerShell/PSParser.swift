/// A recursive-descent parser for the PowerShell subset the simulator runs: statements separated
/// by newlines or `;`, assignments, `if`/`elseif`/`else`, `throw`, `exit`, pipelines of commands
/// (parsed in argument mode: barewords, `-Param`, `-Param:value`, comma lists) whose first stage may
/// be an expression; expressions with `-and`/`-or`, comparisons, casts, `-not`, member access,
/// `@(…)`, `$(…)`, `(…)`, `@{…}`, `{…}`, strings (single-quoted with `''` and the Unicode single
/// quotes U+2018–U+201B; double-quoted with backtick escapes and `$name`/`$(…)` expansion) and
/// numbers. Bounded: scripts over `maxCharacters` and nesting deeper than `maxDepth` are refused.
public struct PSParser {
    /// The longest script accepted, in characters.
    public static let maxCharacters = 1 << 20
    /// The deepest nesting of blocks, parentheses and expressions accepted.
    public static let maxDepth = 64

    var text: [Character]
    var position = 0
    var depth = 0

    /// Parses a whole script.
    public static func parse(_ script: String) throws(PSParseError) -> [PSStatement] {
        guard script.count <= maxCharacters else {
            throw PSParseError("The script is longer than \(maxCharacters) characters.", id: "ScriptTooLong", at: 0)
        }
        var parser = PSParser(text: Array(script))
        let statements = try parser.statementList(until: nil)
        return statements
    }

    // MARK: statements

    /// Statements until `terminator` (consumed) or the end of input when nil.
    mutating func statementList(until terminator: Character?) throws(PSParseError) -> [PSStatement] {
        try enter()
        defer { depth -= 1 }
        var statements: [PSStatement] = []
        while true {
            skipSeparators()
            guard let character = peek() else {
                if let terminator {
                    throw PSParseError(terminator == "}" ? "Missing closing '}' in statement block or type definition."
                                                         : "Missing closing ')' in expression.",
                                       id: terminator == "}" ? "MissingEndCurlyBrace" : "MissingEndParenthesisInExpression", at: position)
                }
                return statements
            }
            if let terminator, character == terminator {
                position += 1
                return statements
            }
            if character == ")" || character == "}" {
                throw PSParseError("Unexpected token '\(character)' in expression or statement.", id: "UnexpectedToken", at: position)
            }
            statements.append(try statement())
            skipSpaces()
            if let next = peek(), !Self.isStatementEnd(next), next != terminator {
                throw PSParseError("Unexpected token '\(word())' in expression or statement.", id: "UnexpectedToken", at: position)
            }
        }
    }

    mutating func statement() throws(PSParseError) -> PSStatement {
        let start = position
        if let keyword = keywordAhead() {
            switch keyword {
            case "if": return try conditional()
            case "throw":
                position += 5
                skipSpaces()
                let value = atStatementEnd() ? nil : try pipeline()
                return .throw(value, extent: PSExtent(start: start, end: position))
            case "exit":
                position += 4
                skipSpaces()
                return .exit(atStatementEnd() ? nil : try pipeline())
            case "elseif", "else":
                throw PSParseError("Unexpected token '\(keyword)' in expression or statement.", id: "UnexpectedToken", at: position)
            default:
                throw PSParseError("The '\(keyword)' statement is not supported by the simulator.", id: "UnsupportedStatement", at: position)
            }
        }
        if peek() == "$", let name = assignmentTarget() {
            skipSpaces(newlines: true)
            let value = try statement()
            return .assignment(variable: name, value: value, extent: PSExtent(start: start, end: position))
        }
        return .pipeline(try pipeline())
    }

    /// `$name =` ahead (not `==`): consumes it and returns the variable name.
    mutating func assignmentTarget() -> String? {
        let saved = position
        guard let name = try? variableName() else { position = saved; return nil }
        skipSpaces()
        if peek() == "=", peek(1) != "=" {
            position += 1
            return name
        }
        position = saved
        return nil
    }

    mutating func conditional() throws(PSParseError) -> PSStatement {
        var clauses: [(condition: PSPipeline, body: [PSStatement])] = []
        var otherwise: [PSStatement]?
        position += 2
        while true {
            skipSpaces(newlines: true)
            try expect("(", "Missing '(' after 'if' in if statement.", id: "MissingOpenParenthesisInIfStatement")
            skipSpaces(newlines: true)
            let condition = try pipeline()
            skipSpaces(newlines: true)
            try expect(")", "Missing closing ')' after expression in 'if' statement.", id: "MissingEndParenthesisAfterStatement")
            skipSpaces(newlines: true)
            try expect("{", "Missing statement block after if ( condition ).", id: "MissingStatementBlock")
            clauses.append((condition, try statementList(until: "}")))
            let saved = position
            skipSpaces(newlines: true)
            if keywordAhead() == "elseif" {
                position += 6
                continue
            }
            if keywordAhead() == "else" {
                position += 4
                skipSpaces(newlines: true)
                try expect("{", "Missing statement block after 'else' keyword.", id: "MissingStatementBlockAfterElse")
                otherwise = try statementList(until: "}")
            } else {
                position = saved
            }
            return .conditional(clauses: clauses, otherwise: otherwise)
        }
    }

    // MARK: pipelines and commands

    mutating func pipeline() throws(PSParseError) -> PSPipeline {
        try enter()
        defer { depth -= 1 }
        let start = position
        var elements: [PSPipelineElement] = []
        while true {
            skipSpaces()
            guard let character = peek() else {
                throw PSParseError(elements.isEmpty ? "An expression was expected." : "An empty pipe element is not allowed.",
                                   id: elements.isEmpty ? "ExpectedExpression" : "EmptyPipeElement", at: position)
            }
            if elements.isEmpty && startsExpression(character) {
                elements.append(.expression(try expression()))
            } else if Self.isCommandNameStart(character) {
                elements.append(.command(try command()))
            } else if character == "|" || Self.isStatementEnd(character) {
                throw PSParseError("An empty pipe element is not allowed.", id: "EmptyPipeElement", at: position)
            } else {
                throw PSParseError("Expressions are only allowed as the first element of a pipeline.", id: "ExpressionsMustBeFirstInPipeline", at: position)
            }
            skipSpaces()
            guard peek() == "|" else { return PSPipeline(elements: elements, extent: PSExtent(start: start, end: position)) }
            position += 1
            skipSpaces(newlines: true)
        }
    }

    mutating func command() throws(PSParseError) -> PSCommandInvocation {
        let start = position
        let name = bareword()
        var arguments: [PSArgument] = []
        while true {
            skipSpaces()
            guard let character = peek(), !Self.isStatementEnd(character), character != "|", character != ")", character != "}" else { break }
            if Self.isDash(character), let next = peek(1), next.isLetter || next == "_" {
                position += 1
                var parameter = ""
                while let c = peek(), c.isLetter || c.isNumber || c == "_" || c == "-" {
                    parameter.append(c)
                    position += 1
                }
                if peek() == ":" {
                    position += 1
                    arguments.append(.parameter(name: parameter, value: try argumentValue()))
                } else {
                    arguments.append(.parameter(name: parameter, value: nil))
                }
            } else {
                arguments.append(.value(try argumentValue()))
            }
        }
        return PSCommandInvocation(name: name, arguments: arguments, extent: PSExtent(start: start, end: position))
    }

    /// One argument in argument mode, with `,` making a list.
    mutating func argumentValue() throws(PSParseError) -> PSExpression {
        try commaList { parser throws(PSParseError) in try parser.argumentPrimary() }
    }

    /// `item (, item)*`: one item, or a `.list` of several.
    mutating func commaList(_ item: (inout PSParser) throws(PSParseError) -> PSExpression) throws(PSParseError) -> PSExpression {
        var items = [try item(&self)]
        while true {
            let saved = position
            skipSpaces()
            guard peek() == "," else { position = saved; break }
            position += 1
            skipSpaces(newlines: true)
            items.append(try item(&self))
        }
        return items.count == 1 ? items[0] : .list(items)
    }

    mutating func argumentPrimary() throws(PSParseError) -> PSExpression {
        guard let character = peek() else { throw PSParseError("Missing argument.", id: "MissingArgument", at: position) }
        if character == "$" || character == "(" || character == "{" || Self.isQuote(character) || Self.isDoubleQuote(character)
            || (character == "@" && (peek(1) == "(" || peek(1) == "{")) {
            return try postfix()
        }
        let start = position
        let word = bareword()
        guard !word.isEmpty else {
            throw PSParseError("Unexpected token '\(character)' in expression or statement.", id: "UnexpectedToken", at: start)
        }
        if let number = Int(word) { return .constant(.int(number)) }
        return .constant(.string(word))
    }
}
