/// A WMI property value as it travels over WS-Management.
public enum WMIValue: Sendable, Equatable {
    /// Null: rendered `xsi:nil="true"`.
    case null
    /// A string (also GUIDs).
    case string(String)
    /// Any integer type (uint16, uint32, uint64, sint32…).
    case integer(Int64)
    /// A boolean, rendered `true`/`false`.
    case boolean(Bool)
    /// A CIM datetime, rendered as a `cim:Datetime` child holding xs:dateTime text.
    case datetime(String)
    /// A CIM interval, rendered as a `cim:Interval` child holding xs:duration text.
    case interval(String)
    /// An array: rendered as repeated elements (none when empty).
    case array([WMIValue])

    /// The text form used on the wire and in comparisons (nil for null and arrays).
    public var text: String? {
        switch self {
        case .null, .array: nil
        case .string(let value), .datetime(let value), .interval(let value): value
        case .integer(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        }
    }
}
