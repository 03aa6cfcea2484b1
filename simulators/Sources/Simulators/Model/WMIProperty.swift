/// One named property of an instance.
public struct WMIProperty: Sendable, Equatable {
    /// The property name, as the schema spells it.
    public var name: String
    /// Its value.
    public var value: WMIValue

    /// Creates a property.
    public init(_ name: String, _ value: WMIValue) {
        self.name = name
        self.value = value
    }
}
