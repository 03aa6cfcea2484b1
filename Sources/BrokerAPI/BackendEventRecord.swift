/// A backend going down or coming back (JSON-RPC notification `event.backend`).
public struct BackendEventRecord: Sendable, Equatable, Codable {
    /// Whether the backend is now reachable.
    public enum Transition: String, Sendable, Codable {
        case up
        case down
    }

    /// When it was seen, ISO 8601 with milliseconds, UTC.
    public var time: String
    /// The backend.
    public var backend: String
    /// `up` or `down`.
    public var type: Transition
    /// Why it went down, where known.
    public var message: String?

    /// Creates a backend event record.
    public init(time: String, backend: String, type: Transition, message: String?) {
        self.time = time
        self.backend = backend
        self.type = type
        self.message = message
    }
}
