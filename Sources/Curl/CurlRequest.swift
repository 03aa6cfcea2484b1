/// One HTTP POST as the WS-Man transport sends it.
public struct CurlRequest: Sendable {
    /// How libcurl authenticates.
    public enum Authentication: String, Sendable {
        case basic, ntlm, negotiate
        /// None by libcurl: the caller authenticates with headers of its own (GSS-API).
        case none
        /// The strongest the server offers, Basic included.
        case any
        /// The strongest the server offers among NTLM and Negotiate: never Basic (plain http).
        case secure
    }

    public var url: String
    public var body: [UInt8]
    public var headers: [String]
    public var username: String?
    public var password: String?
    public var authentication: Authentication
    /// Verify the server's certificate and name (https).
    public var verifyPeer: Bool
    /// A CA bundle to verify against, instead of the system's.
    public var caFile: String?
    public var connectTimeoutMilliseconds: Int
    public var timeoutMilliseconds: Int
    /// Answers larger than this are cut off with `tooLarge`.
    public var maxResponseBytes: Int
    /// Open a new connection instead of reusing one (`CURLOPT_FRESH_CONNECT`): libcurl then
    /// never resends the request on its own, which it does when a reused connection dies
    /// before the answer — for a request that changes something, a second change.
    public var freshConnection = false
    /// Have libcurl keep the server's certificate (`CURLOPT_CERTINFO`), read back as
    /// `CurlEasy.peerCertificate`: for channel binding over https.
    public var collectsPeerCertificate = false
    /// A PEM client certificate to present in the TLS handshake (`CURLOPT_SSLCERT`), a path:
    /// the file is read by libcurl, never by this process.
    public var clientCertificateFile: String?
    /// The PEM private key of `clientCertificateFile` (`CURLOPT_SSLKEY`), unencrypted, a path.
    public var clientKeyFile: String?

    /// Creates a request.
    public init(
        url: String, body: [UInt8], headers: [String] = [], username: String? = nil, password: String? = nil,
        authentication: Authentication = .any, verifyPeer: Bool = true, caFile: String? = nil,
        connectTimeoutMilliseconds: Int = 5000, timeoutMilliseconds: Int = 30000, maxResponseBytes: Int = 16 << 20
    ) {
        self.url = url
        self.body = body
        self.headers = headers
        self.username = username
        self.password = password
        self.authentication = authentication
        self.verifyPeer = verifyPeer
        self.caFile = caFile
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxResponseBytes = maxResponseBytes
    }
}

/// An HTTP answer.
public struct CurlResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// The final answer's header lines (`Name: value`, without line ends).
    public var headers: [String] = []

    /// The values of the header `name` (case-insensitive), in order.
    public func header(_ name: String) -> [String] {
        let prefix = name.lowercased() + ":"
        return headers.filter { $0.lowercased().hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)).trimmed }
    }
}
