/// One stage of a pipeline.
public enum PSPipelineElement: Sendable, Equatable {
    /// An expression (first stage only).
    case expression(PSExpression)
    /// A command invocation.
    case command(PSCommandInvocation)
}
