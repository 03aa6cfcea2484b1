/// Why an XDR value could not be read: the input ended early, or a length is past its bound.
public enum XDRError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer bytes remain than the value needs.
    case truncated(String)
    /// A declared length (of a string, opaque or array) is larger than its protocol bound.
    case tooLong(String, length: UInt32, limit: UInt32)
    /// A discriminant or a boolean has a value the protocol does not define.
    case invalidValue(String, Int64)

    public var description: String {
        switch self {
        case .truncated(let what): "truncated XDR: \(what)"
        case .tooLong(let what, let length, let limit): "XDR \(what) of length \(length) exceeds \(limit)"
        case .invalidValue(let what, let value): "invalid XDR \(what): \(value)"
        }
    }
}
