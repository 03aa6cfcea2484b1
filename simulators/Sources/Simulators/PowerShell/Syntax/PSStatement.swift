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
