/// A command the interpreter can run: its name, aliases, parameters and body.
public struct PSCommandDefinition: Sendable {
    /// The body: bound arguments and pipeline input in, output objects out; a thrown record is a
    /// statement-terminating error (script-terminating under `$ErrorActionPreference = 'Stop'`).
    public typealias Body = @Sendable (PSCommandCall, PSInterpreter) throws(PSErrorRecord) -> [PSValue]

    /// The canonical name (`Get-SCVirtualMachine`).
    public var name: String
    /// Other names (`Select` for `Select-Object`).
    public var aliases: [String]
    /// The parameters.
    public var parameters: [PSParameter]
    /// The FullyQualifiedErrorId suffix (`…,Microsoft.PowerShell.Commands.SelectObjectCommand`).
    public var implementingType: String
    /// What it does.
    public var body: Body

    /// Creates a definition.
    public init(name: String, aliases: [String] = [], parameters: [PSParameter], implementingType: String, body: @escaping Body) {
        self.name = name
        self.aliases = aliases
        self.parameters = parameters
        self.implementingType = implementingType
        self.body = body
    }
}

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
