/// An object with ordered properties: a cmdlet's output (a VM, a host, a job) or a
/// PSCustomObject made by `Select-Object`. Property lookup is case-insensitive, as in PowerShell.
public struct PSObject: Sendable, Equatable {
    /// The .NET type name (`Selected.…` for Select-Object's output).
    public var typeName: String
    /// The properties in declaration order.
    public var properties: [PSProperty]
    /// Whether this is a PSCustomObject (its string form is `@{Name=…; …}`).
    public var isCustom: Bool
    /// `ToString()` of a non-custom object (SCVMM objects give their name).
    public var display: String?
    /// What simulated entity the object stands for, so cmdlets can act on it (`-VM $vm`).
    public var reference: PSObjectReference?

    /// Creates an object.
    public init(typeName: String, properties: [PSProperty], isCustom: Bool = false, display: String? = nil,
                reference: PSObjectReference? = nil) {
        self.typeName = typeName
        self.properties = properties
        self.isCustom = isCustom
        self.display = display
        self.reference = reference
    }

    /// The property named `name` (case-insensitive), or nil when there is none.
    public func property(_ name: String) -> PSProperty? {
        let key = name.lowercased()
        return properties.first { $0.name.lowercased() == key }
    }
}
