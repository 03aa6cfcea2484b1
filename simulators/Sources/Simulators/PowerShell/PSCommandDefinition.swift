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
