/// The stable error codes every layer speaks. They appear on the wire (`error.data.code`),
/// in the CLI's JSON, and in logs; their spelling never changes.
public enum ErrorCode: String, Sendable, Codable, CaseIterable {
    case notFound = "not_found"
    case ambiguous
    case unsupported
    case invalidArgument = "invalid_argument"
    case invalidState = "invalid_state"
    case backendUnavailable = "backend_unavailable"
    case authFailed = "auth_failed"
    case timeout
    case permissionDenied = "permission_denied"
    /// The broker is at a limit (clients, calls in flight) and turned the call away unread.
    case busy
    /// A change was sent to a backend and no answer says whether it happened (a timeout, a
    /// broken connection); it is not sent again anywhere — the next listing shows the truth.
    case outcomeUnknown = "outcome_unknown"
    /// What was to be created exists already (a VM or snapshot of that name).
    case alreadyExists = "already_exists"
    case `internal`
}

/// A typed failure from a backend or from the broker: a stable code, a human message, and
/// the backend involved when there is one.
public struct BackendError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable code.
    public var code: ErrorCode
    /// A readable message; the backend's own words are kept where it gave any.
    public var message: String
    /// The configured name of the backend involved, if any.
    public var backend: String?
    /// The request provably never reached the backend (its connection was refused): a change
    /// may then go another way. Not part of equality.
    public var provablyNotSent = false

    /// Creates an error.
    public init(_ code: ErrorCode, _ message: String, backend: String? = nil) {
        self.code = code
        self.message = message
        self.backend = backend
    }

    /// The same error, attributed to a backend (kept if already attributed).
    public func attributed(to backend: String) -> BackendError {
        var copy = self
        if copy.backend == nil { copy.backend = backend }
        return copy
    }

    /// Errors are equal when code, message and backend are.
    public static func == (a: BackendError, b: BackendError) -> Bool {
        a.code == b.code && a.message == b.message && a.backend == b.backend
    }

    public var description: String {
        if let backend { return "backend \(backend): \(message)" }
        return message
    }

    /// The operation is not offered by this backend.
    public static func unsupported(_ what: String) -> BackendError {
        BackendError(.unsupported, "this function is not supported by the backend: \(what)")
    }
}
