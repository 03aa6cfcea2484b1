/// Why a WQL query was refused.
public enum WQLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not valid WQL (→ `wsman:CannotProcessFilter`).
    case syntax(String, offset: Int)
    /// The query names a class the simulator does not know (→ `wsa:DestinationUnreachable`).
    case unknownClass(String)
    /// The query names a property the class does not have (→ `wsman:CannotProcessFilter`).
    case unknownProperty(String, className: String)
    /// `ASSOCIATORS OF` names an object that does not exist (→ `wsa:DestinationUnreachable`).
    case objectNotFound(String)

    public var description: String {
        switch self {
        case .syntax(let message, let offset): "WQL syntax error at offset \(offset): \(message)"
        case .unknownClass(let name): "Invalid class: \(name)"
        case .unknownProperty(let name, let className): "Invalid query: \(className) has no property \(name)"
        case .objectNotFound(let path): "Not found: \(path)"
        }
    }
}
