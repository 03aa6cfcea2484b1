import BrokerCore

/// One backend's failure inside an otherwise answered fan-out.
public struct BackendFailure: Sendable, Equatable, Codable, Error {
    /// The backend's name.
    public var backend: String
    /// The stable error code.
    public var code: ErrorCode
    /// What went wrong.
    public var message: String

    /// Creates a failure entry.
    public init(backend: String, code: ErrorCode, message: String) {
        self.backend = backend
        self.code = code
        self.message = message
    }

    /// The entry for a backend error.
    public init(backend: String, _ error: BackendError) {
        self.init(backend: backend, code: error.code, message: error.message)
    }
}
