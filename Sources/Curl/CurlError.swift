/// A transfer that failed before an HTTP answer arrived (or whose answer was refused).
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: Sendable, Equatable {
        case couldNotConnect, timedOut, tls, tooLarge, other
    }

    /// The kind.
    public var kind: Kind
    /// libcurl's words.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
