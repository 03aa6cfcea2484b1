/// One argument of a command.
public enum PSArgument: Sendable, Equatable {
    /// `-Name` or `-Name:value`.
    case parameter(name: String, value: PSExpression?)
    /// A value (bareword, string, variable, `@(…)`, comma list …).
    case value(PSExpression)
}
