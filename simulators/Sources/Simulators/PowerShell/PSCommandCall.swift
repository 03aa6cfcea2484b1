/// One invocation of a command: bound parameters (by canonical name, case-insensitive) and the
/// pipeline input (nil when the command is first in its pipeline).
public struct PSCommandCall: Sendable {
    /// The command's canonical name.
    public var name: String
    /// Bound parameter values by lowercased canonical name (switches as `.bool`).
    public var bound: [String: PSValue]
    /// Pipeline input, nil when the command starts the pipeline.
    public var input: [PSValue]?

    /// The value bound to `parameter`, if any.
    public subscript(_ parameter: String) -> PSValue? { bound[parameter.lowercased()] }

    /// Whether the switch `parameter` is set.
    public func isSet(_ parameter: String) -> Bool { bound[parameter.lowercased()]?.isTrue ?? false }
}
