import XML

/// Why a WS-Management exchange failed. (The plugins' `WinRMSupport` maps each case to a
/// stable broker error code.)
public enum WSManError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP 401: the credentials were refused.
    case unauthorized
    /// GSS-API authentication (Negotiate, Kerberos, NTLM) or message sealing failed: no
    /// credentials, a refused ticket, a context the listener would not complete.
    case authentication(String)
    /// An HTTP status other than 200, or a 400/500 without a SOAP fault in it.
    case httpStatus(Int)
    /// A SOAP fault from the service (any HTTP status).
    case fault(WSManFault)
    /// The answer is not a well-formed, acceptable SOAP envelope (or lacks what the operation needs).
    case malformed(String)
    /// The request could not be built (e.g. a method name that is not an XML name).
    case invalidRequest(String)
    /// The service could not be reached; `neverSent` when the connection was refused, so the
    /// request provably never left.
    case unavailable(String, neverSent: Bool = false)
    /// No answer in time.
    case timeout(String)
    /// The TLS handshake or certificate check failed.
    case tls(String)
    /// The answer was larger than the configured cap.
    case tooLarge(String)

    /// A malformed-answer error from the XML parser's refusal.
    public init(_ error: XMLError) {
        self = .malformed(error.message)
    }

    public var description: String {
        switch self {
        case .unauthorized: "HTTP 401: the WS-Management service refused the credentials"
        case .authentication(let message): "authentication with the WS-Management service failed: \(message)"
        case .httpStatus(let status): "unexpected HTTP response \(status) from the WS-Management service"
        case .fault(let fault): fault.description
        case .malformed(let message): "malformed WS-Management answer: \(message)"
        case .invalidRequest(let message): "invalid WS-Management request: \(message)"
        case .unavailable(let message, _): "WS-Management service unavailable: \(message)"
        case .timeout(let message): "WS-Management request timed out: \(message)"
        case .tls(let message): "TLS failure talking to the WS-Management service: \(message)"
        case .tooLarge(let message): "WS-Management answer too large: \(message)"
        }
    }
}
