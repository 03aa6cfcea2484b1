/// Why the model refused a lookup.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A selector names no property of the class.
    case unknownSelector(String, className: String)
    /// No selectors were given where an instance must be named.
    case missingSelectors(className: String)
    /// A class name is not known.
    case unknownClass(String)

    public var description: String {
        switch self {
        case .unknownSelector(let name, let className): "\(className) has no key or property named \(name)"
        case .missingSelectors(let className): "no selectors given for \(className)"
        case .unknownClass(let name): "unknown class \(name)"
        }
    }
}
