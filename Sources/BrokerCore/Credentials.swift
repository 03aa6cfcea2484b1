/// A username and secret for a backend. The secret comes from a file or the environment,
/// never from the URI, and is never printed: `description` redacts it.
public struct Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The user to authenticate as (may be nil when the URI names one).
    public var username: String?
    /// The secret.
    public var password: String?

    /// Creates credentials.
    public init(username: String?, password: String?) {
        self.username = username
        self.password = password
    }

    public var description: String {
        "Credentials(username: \(username ?? "-"), password: \(password == nil ? "none" : "<redacted>"))"
    }

    public var debugDescription: String { description }
}
