/// One parameter of a command.
public struct PSParameter: Sendable {
    /// The name without the dash.
    public var name: String
    /// Whether it is a `[switch]`.
    public var isSwitch: Bool
    /// Its position for positional binding, if any.
    public var position: Int?
    /// Other names.
    public var aliases: [String]
    /// Its .NET type name (for binding errors).
    public var typeName: String

    /// Creates a parameter.
    public init(_ name: String, isSwitch: Bool = false, position: Int? = nil, aliases: [String] = [], typeName: String = "System.Object") {
        self.name = name
        self.isSwitch = isSwitch
        self.position = position
        self.aliases = aliases
        self.typeName = typeName
    }

    /// A `[switch]` parameter.
    public static func flag(_ name: String) -> PSParameter { PSParameter(name, isSwitch: true, typeName: "System.Management.Automation.SwitchParameter") }
}
