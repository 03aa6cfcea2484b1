/// A named value: an object's property or a hashtable entry.
public struct PSProperty: Sendable, Equatable {
    /// The name as declared.
    public var name: String
    /// The value.
    public var value: PSValue

    /// Creates a property.
    public init(_ name: String, _ value: PSValue) {
        self.name = name
        self.value = value
    }
}
