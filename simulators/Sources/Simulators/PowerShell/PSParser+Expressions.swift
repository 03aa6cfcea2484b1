/// Expressions for `PSParser`: `-and`/`-or`, comparisons, comma lists, `-not`, casts, member
/// access and indexing, and the primaries (variables, strings, numbers, `@(…)`, `$(…)`, `(…)`,
/// `@{…}`, `{…}`).
extension PSParser {
    mutating func expression() throws(PSParseError) -> PSExpression {
        try enter()
        defer { depth -= 1 }
        var left = try comparison()
        while let op = operatorAhead(["and", "or", "xor"]) {
            skipSpaces(newlines: true)
            left = .binary(op, left, try comparison())
        }
        return left
    }

    static let comparisonOperators = ["eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "ieq", "ine", "ceq", "cne", "ilike", "clike"]

    mutating func comparison() throws(PSParseError) -> PSExpression {
        var left = try list()
        while let op = operatorAhead(Self.comparisonOperators) {
            skipSpaces(newlines: true)
            left = .binary(op, left, try list())
        }
        return left
    }

    mutating func list() throws(PSParseError) -> PSExpression {
        try commaList { parser throws(PSParseError) in try parser.unary() }
    }

    mutating func unary() throws(PSParseError) -> PSExpression {
        try enter()
        defer { depth -= 1 }
        skipSpaces()
        guard let character = peek() else { throw PSParseError("An expression was expected.", id: "ExpectedExpression", at: position) }
        if character == "!" {
            position += 1
            return .not(try unary())
        }
        if Self.isDash(character), operatorAhead(["not"]) != nil {
            skipSpaces()
            return .not(try unary())
        }
        if Self.isDash(character), let next = peek(1), next.isNumber {
            position += 1
            let operand = try postfix()
            if case .constant(.int(let value)) = operand { return .constant(.int(-value)) }
            if case .constant(.double(let value)) = operand { return .constant(.double(-value)) }
            return operand
        }
        if character == "[" {
            let type = try typeLiteral()
            skipSpaces()
            if let next = peek(), startsExpression(next) { return .cast(type, try unary()) }
            return .constant(.string(type))
        }
        return try postfix()
    }

    mutating func postfix() throws(PSParseError) -> PSExpression {
        var value = try primary()
        while let character = peek() {
            if character == ".", let next = peek(1), next.isLetter || next == "_" {
                position += 1
                var name = ""
                while let c = peek(), c.isLetter || c.isNumber || c == "_" {
                    name.append(c)
                    position += 1
                }
                if peek() == "(" {
                    throw PSParseError("Method calls are not supported by the simulator.", id: "UnsupportedMethodCall", at: position)
                }
                value = .member(value, name)
            } else if character == "[" {
                position += 1
                skipSpaces(newlines: true)
                let index = try expression()
                skipSpaces(newlines: true)
                try expect("]", "Array index expression is missing or not valid.", id: "MissingArrayIndexExpression")
                value = .index(value, index)
            } else {
                break
            }
        }
        return value
    }

    mutating func primary() throws(PSParseError) -> PSExpression {
        guard let character = peek() else { throw PSParseError("An expression was expected.", id: "ExpectedExpression", at: position) }
        let start = position
        if Self.isQuote(character) { return .constant(.string(try singleQuoted())) }
        if Self.isDoubleQuote(character) { return try doubleQuoted() }
        if character == "$" {
            if peek(1) == "(" {
                position += 2
                return .subexpression(try statementList(until: ")"))
            }
            return .variable(try variableName())
        }
        if character == "@" && peek(1) == "(" {
            position += 2
            return .arrayExpression(try statementList(until: ")"))
        }
        if character == "@" && peek(1) == "{" {
            position += 2
            return try hashtable()
        }
        if character == "(" {
            position += 1
            skipSpaces(newlines: true)
            let inner = try pipeline()
            skipSpaces(newlines: true)
            try expect(")", "Missing closing ')' in expression.", id: "MissingEndParenthesisInExpression")
            return .parenthesized(inner)
        }
        if character == "{" {
            position += 1
            let bodyStart = position
            let body = try statementList(until: "}")
            return .scriptBlock(PSScriptBlock(text: String(text[bodyStart..<(position - 1)]), body: body))
        }
        if character.isNumber {
            var digits = ""
            while let c = peek(), c.isNumber || c == "." {
                digits.append(c)
                position += 1
            }
            if let value = Int(digits) { return .constant(.int(value)) }
            if let value = Double(digits) { return .constant(.double(value)) }
            throw PSParseError("Unexpected token '\(digits)' in expression or statement.", id: "UnexpectedToken", at: start)
        }
        throw PSParseError("Unexpected token '\(word())' in expression or statement.", id: "UnexpectedToken", at: start)
    }

    mutating func hashtable() throws(PSParseError) -> PSExpression {
        try enter()
        defer { depth -= 1 }
        var entries: [(key: String, value: PSStatement)] = []
        while true {
            skipSeparators()
            guard let character = peek() else {
                throw PSParseError("Missing closing '}' in statement block or type definition.", id: "MissingEndCurlyBrace", at: position)
            }
            if character == "}" {
                position += 1
                return .hashtable(entries)
            }
            let key: String
            if Self.isQuote(character) {
                key = try singleQuoted()
            } else if Self.isDoubleQuote(character), case .expandable(let parts) = try doubleQuoted() {
                key = parts.map { if case .literal(let text) = $0 { text } else { "" } }.joined()
            } else {
                key = bareword(stoppingAt: "=")
                guard !key.isEmpty else {
                    throw PSParseError("Missing key before '=' in hash literal.", id: "MissingKeyInHashLiteral", at: position)
                }
            }
            skipSpaces()
            try expect("=", "Missing '=' operator after key in hash literal.", id: "MissingEqualsInHashLiteral")
            skipSpaces(newlines: true)
            entries.append((key, try statement()))
            skipSpaces()
            if let next = peek(), !Self.isStatementEnd(next), next != "}" {
                throw PSParseError("Missing statement after '=' in hash literal.", id: "MissingStatementInHashLiteral", at: position)
            }
        }
    }
}
