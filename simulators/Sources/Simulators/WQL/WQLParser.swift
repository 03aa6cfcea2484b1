/// A recursive-descent parser for the WQL subset Hyper-V clients use:
///
/// ```
/// query      := SELECT ( '*' | name {',' name} ) FROM name [WHERE or] 
///             | ASSOCIATORS OF '{' path '}' [WHERE {AssocClass = name | ResultClass = name
///                                                  | Role = name | ResultRole = name}]
/// or         := and {OR and}
/// and        := unary {AND unary}
/// unary      := NOT unary | '(' or ')' | predicate
/// predicate  := operand op operand | name [NOT] LIKE string | name IS [NOT] NULL
/// op         := '=' | '!=' | '<>' | '<' | '>' | '<=' | '>='
/// operand    := name | string | number | TRUE | FALSE | NULL
/// ```
/// Keywords are case-insensitive; trailing whitespace is allowed (libvirt sends it).
public struct WQLParser {
    private let tokens: [WQLToken]
    private var index = 0

    private init(tokens: [WQLToken]) { self.tokens = tokens }

    /// Parses one statement.
    public static func parse(_ text: String) throws(WQLError) -> WQLQuery {
        guard text.count <= 16_384 else { throw .syntax("query longer than 16384 characters", offset: 0) }
        var parser = WQLParser(tokens: try WQLLexer.tokenize(text))
        let query = try parser.statement()
        guard parser.current.kind == .end else { throw parser.error("unexpected text after the query") }
        return query
    }

    private var current: WQLToken { index < tokens.count ? tokens[index] : WQLToken(kind: .end, offset: tokens.last?.offset ?? 0) }

    private func error(_ message: String) -> WQLError { .syntax(message, offset: current.offset) }

    private mutating func advance() { index += 1 }

    private mutating func expectKeyword(_ keyword: String) throws(WQLError) {
        guard current.isKeyword(keyword) else { throw error("expected \(keyword)") }
        advance()
    }

    private mutating func name(_ what: String) throws(WQLError) -> String {
        guard case .word(let word) = current.kind, !Self.reserved.contains(word.uppercased()) else { throw error("expected \(what)") }
        advance()
        return word
    }

    private static let reserved: Set<String> = ["SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IS", "NULL", "TRUE", "FALSE", "ASSOCIATORS", "OF", "REFERENCES"]

    private mutating func statement() throws(WQLError) -> WQLQuery {
        if current.isKeyword("SELECT") {
            advance()
            var properties: [String]?
            if current.kind == .symbol("*") {
                advance()
            } else {
                var names = [try name("a property name or *")]
                while current.kind == .symbol(",") {
                    advance()
                    names.append(try name("a property name"))
                }
                properties = names
            }
            try expectKeyword("FROM")
            let className = try name("a class name")
            var condition: WQLCondition?
            if current.isKeyword("WHERE") {
                advance()
                condition = try disjunction()
            }
            return .select(properties: properties, className: className, condition: condition)
        }
        if current.isKeyword("ASSOCIATORS") {
            advance()
            try expectKeyword("OF")
            guard case .objectPath(let text) = current.kind else { throw error("expected {object path}") }
            let path = try WQLObjectPath.parse(text, offset: current.offset)
            advance()
            var assocClass: String?, resultClass: String?
            if current.isKeyword("WHERE") {
                advance()
                while case .word(let keyword) = current.kind {
                    advance()
                    switch keyword.uppercased() {
                    case "CLASSDEFSONLY", "SCHEMAONLY":
                        throw error("\(keyword) is not supported")
                    case "ASSOCCLASS", "RESULTCLASS", "ROLE", "RESULTROLE", "REQUIREDQUALIFIER", "REQUIREDASSOCQUALIFIER":
                        guard current.kind == .symbol("=") else { throw error("expected '=' after \(keyword)") }
                        advance()
                        let value = try name("a name after \(keyword) =")
                        if keyword.uppercased() == "ASSOCCLASS" { assocClass = value }
                        if keyword.uppercased() == "RESULTCLASS" { resultClass = value }
                    default:
                        throw .syntax("unknown ASSOCIATORS OF keyword \(keyword)", offset: current.offset)
                    }
                }
                guard assocClass != nil || resultClass != nil || current.kind == .end else { throw error("expected AssocClass or ResultClass") }
            }
            return .associators(path, assocClass: assocClass, resultClass: resultClass)
        }
        if current.isKeyword("REFERENCES") { throw error("REFERENCES OF is not supported") }
        throw error("expected SELECT or ASSOCIATORS OF")
    }

    private mutating func disjunction() throws(WQLError) -> WQLCondition {
        var left = try conjunction()
        while current.isKeyword("OR") {
            advance()
            left = .or(left, try conjunction())
        }
        return left
    }

    private mutating func conjunction() throws(WQLError) -> WQLCondition {
        var left = try unary()
        while current.isKeyword("AND") {
            advance()
            left = .and(left, try unary())
        }
        return left
    }

    private mutating func unary() throws(WQLError) -> WQLCondition {
        if current.isKeyword("NOT") {
            advance()
            return .not(try unary())
        }
        if current.kind == .symbol("(") {
            advance()
            let inner = try disjunction()
            guard current.kind == .symbol(")") else { throw error("expected ')'") }
            advance()
            return inner
        }
        return try predicate()
    }

    private enum Operand { case property(String), literal(WQLLiteral) }

    private mutating func operand() throws(WQLError) -> Operand {
        switch current.kind {
        case .string(let text): advance(); return .literal(.string(text))
        case .number(let number): advance(); return .literal(.number(number))
        case .word(let word):
            switch word.uppercased() {
            case "TRUE": advance(); return .literal(.boolean(true))
            case "FALSE": advance(); return .literal(.boolean(false))
            case "NULL": advance(); return .literal(.null)
            default: return .property(try name("a property name"))
            }
        default:
            throw error("expected a property or a literal")
        }
    }

    private mutating func predicate() throws(WQLError) -> WQLCondition {
        let left = try operand()
        if case .property(let property) = left {
            if current.isKeyword("IS") {
                advance()
                var negated = false
                if current.isKeyword("NOT") { advance(); negated = true }
                try expectKeyword("NULL")
                return negated ? .not(.isNull(property: property)) : .isNull(property: property)
            }
            var negated = false
            if current.isKeyword("NOT") { advance(); negated = true; guard current.isKeyword("LIKE") else { throw error("expected LIKE after NOT") } }
            if current.isKeyword("LIKE") {
                advance()
                guard case .string(let pattern) = current.kind else { throw error("LIKE needs a string pattern") }
                advance()
                return negated ? .not(.like(property: property, pattern: pattern)) : .like(property: property, pattern: pattern)
            }
        }
        guard case .symbol(let symbol) = current.kind,
              let comparison = symbol == "<>" ? .notEqual : WQLComparison(rawValue: symbol) else {
            throw error("expected a comparison operator")
        }
        advance()
        let right = try operand()
        switch (left, right) {
        case (.property(let property), .literal(let literal)): return .comparison(property: property, comparison, literal)
        case (.literal(let literal), .property(let property)): return .comparison(property: property, comparison.swapped, literal)
        case (.property, .property): throw error("comparing two properties is not allowed in WQL")
        case (.literal, .literal): throw error("a comparison needs a property")
        }
    }
}
