/// A .NET enum value.
public struct PSEnumValue: Sendable, Equatable {
    /// The enum's full type name.
    public var typeName: String
    /// The member name (`[string]` cast).
    public var name: String
    /// The member's integer (what ConvertTo-Json writes).
    public var rawValue: Int

    /// Creates an enum value.
    public init(typeName: String, name: String, rawValue: Int) {
        self.typeName = typeName
        self.name = name
        self.rawValue = rawValue
    }
}
