/// A transfer that failed before an HTTP answer arrived (or whose answer was refused).
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: Sendable, Equatable {
        case couldNotConnect, timedOut, tls, tooLarge, other
        /// The client certificate or its key could not be loaded or used
        /// (`CURLE_SSL_CERTPROBLEM`), or the server wanted one and none was given
        /// (`CURLE_SSL_CLIENTCERT`).
        case clientCertificate
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
