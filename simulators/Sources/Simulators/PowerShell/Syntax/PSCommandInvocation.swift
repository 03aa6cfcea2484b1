/// `Name -Param value positional …`.
public struct PSCommandInvocation: Sendable, Equatable {
    /// The command name as written.
    public var name: String
    /// Parameters and positional arguments, in order.
    public var arguments: [PSArgument]
    /// The invocation's extent.
    public var extent: PSExtent
}
