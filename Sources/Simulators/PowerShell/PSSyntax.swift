/// Where a piece of syntax sits in the script: character offsets `start..<end`.
public struct PSExtent: Sendable, Equatable {
    /// First character.
    public var start: Int
    /// One past the last character.
    public var end: Int
}

/// A statement.
public indirect enum PSStatement: Sendable, Equatable {
    /// A pipeline whose output goes to the output stream.
    case pipeline(PSPipeline)
    /// `$name = statement` (`$null = …` discards).
    case assignment(variable: String, value: PSStatement, extent: PSExtent)
    /// `if (condition) { … } elseif (…) { … } else { … }`.
    case conditional(clauses: [(condition: PSPipeline, body: [PSStatement])], otherwise: [PSStatement]?)
    /// `throw [value]`.
    case `throw`(PSPipeline?, extent: PSExtent)
    /// `exit [code]`.
    case exit(PSPipeline?)

    public static func == (lhs: PSStatement, rhs: PSStatement) -> Bool {
        switch (lhs, rhs) {
        case (.pipeline(let a), .pipeline(let b)): a == b
        case (.assignment(let a, let b, let c), .assignment(let d, let e, let f)): a == d && b == e && c == f
        case (.conditional(let a, let b), .conditional(let c, let d)):
            a.count == c.count && zip(a, c).allSatisfy { $0.condition == $1.condition && $0.body == $1.body } && b == d
        case (.throw(let a, let b), .throw(let c, let d)): a == c && b == d
        case (.exit(let a), .exit(let b)): a == b
        default: false
        }
    }
}

/// `element | element | …`.
public struct PSPipeline: Sendable, Equatable {
    /// The stages; only the first may be an expression.
    public var elements: [PSPipelineElement]
    /// The whole pipeline's extent.
    public var extent: PSExtent
}

/// One stage of a pipeline.
public enum PSPipelineElement: Sendable, Equatable {
    /// An expression (first stage only).
    case expression(PSExpression)
    /// A command invocation.
    case command(PSCommandInvocation)
}

/// `Name -Param value positional …`.
public struct PSCommandInvocation: Sendable, Equatable {
    /// The command name as written.
    public var name: String
    /// Parameters and positional arguments, in order.
    public var arguments: [PSArgument]
    /// The invocation's extent.
    public var extent: PSExtent
}

/// One argument of a command.
public enum PSArgument: Sendable, Equatable {
    /// `-Name` or `-Name:value`.
    case parameter(name: String, value: PSExpression?)
    /// A value (bareword, string, variable, `@(…)`, comma list …).
    case value(PSExpression)
}

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

/// A piece of a double-quoted string.
public enum PSStringPart: Sendable, Equatable {
    /// Literal text.
    case literal(String)
    /// `$name`.
    case variable(String)
    /// `$( statements )`.
    case subexpression([PSStatement])
}

/// `{ statements }`: its text (its string form) and its parsed body.
public struct PSScriptBlock: Sendable, Equatable {
    /// The source text between the braces.
    public var text: String
    /// The statements.
    public var body: [PSStatement]

    public static func == (lhs: PSScriptBlock, rhs: PSScriptBlock) -> Bool { lhs.text == rhs.text }
}
