/// `element | element | …`.
public struct PSPipeline: Sendable, Equatable {
    /// The stages; only the first may be an expression.
    public var elements: [PSPipelineElement]
    /// The whole pipeline's extent.
    public var extent: PSExtent
}
