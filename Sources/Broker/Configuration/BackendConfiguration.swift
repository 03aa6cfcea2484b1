import BrokerCore

/// One `[[backends]]` entry, validated.
public struct BackendConfiguration: Sendable, Equatable {
    /// The backend's unique short name (`[a-z0-9._-]+`), the first part of federated names.
    public var name: String
    /// The parsed URI.
    public var uri: BackendURI
    /// Credentials from `username` and `password_file` / `password_env` (never from the URI).
    public var credentials: Credentials?
    /// Per-call deadline.
    public var timeoutMilliseconds: Int
    /// Settings passed to the plugin (a CA file …).
    public var options: BackendOptions
    /// Calls to this backend at once; more wait their turn.
    public var maxConcurrency: Int
    /// How often the inventory cache re-reads the backend (and diffs it into events); for
    /// backends with events of their own, a safety net against missed ones.
    public var pollIntervalMilliseconds: Int
    /// The default polling interval.
    public static let defaultPollIntervalMilliseconds = 5000
    /// The line of its `[[backends]]` header, for messages.
    public var line: Int
    /// `site`: in a cluster, the site whose nodes should hold it (placement only: not part of
    /// what makes two entries the same backend).
    public var site: String?

    /// Creates a backend configuration.
    public init(
        name: String, uri: BackendURI, credentials: Credentials? = nil, timeoutMilliseconds: Int = 5000,
        maxConcurrency: Int = 8, pollIntervalMilliseconds: Int = defaultPollIntervalMilliseconds,
        options: BackendOptions = BackendOptions(), line: Int = 0
    ) {
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
        self.options = options
        self.maxConcurrency = maxConcurrency
        self.name = name
        self.uri = uri
        self.credentials = credentials
        self.timeoutMilliseconds = timeoutMilliseconds
        self.line = line
    }

    /// Whether a string is a valid backend name.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// Two entries describe the same backend when everything but their place in the file agrees.
    public static func == (a: BackendConfiguration, b: BackendConfiguration) -> Bool {
        a.name == b.name && a.uri == b.uri && a.credentials == b.credentials
            && a.timeoutMilliseconds == b.timeoutMilliseconds && a.maxConcurrency == b.maxConcurrency && a.options == b.options
            && a.pollIntervalMilliseconds == b.pollIntervalMilliseconds
    }
}
