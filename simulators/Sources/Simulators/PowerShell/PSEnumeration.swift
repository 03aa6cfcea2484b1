/// A .NET enum the simulator models: its type name, member names and integers, and how it
/// appears to PowerShell (`[string]` gives the name, ConvertTo-Json the integer).
public protocol PSEnumeration: CaseIterable, RawRepresentable, Sendable where RawValue == Int {
    /// The enum's .NET type name.
    static var typeName: String { get }
    /// The member name.
    var name: String { get }
}

extension PSEnumeration {
    /// The member named `name`, compared case-insensitively with blanks ignored ("Not Responding").
    public init?(memberName name: String) {
        let key = name.replacingOccurrences(of: " ", with: "").lowercased()
        guard let member = Self.allCases.first(where: { $0.name.lowercased() == key }) else { return nil }
        self = member
    }

    /// As a PowerShell enum value.
    public var value: PSValue { .enumeration(PSEnumValue(typeName: Self.typeName, name: name, rawValue: rawValue)) }
}
