/// How old one backend's part of an answer is.
public struct BackendFreshness: Sendable, Equatable, Codable {
    /// Where the data came from.
    public enum Source: String, Sendable, Codable {
        /// Asked of the backend for this answer.
        case live
        /// From the daemon's inventory cache.
        case cache
        /// From the cluster's store: another node holds the backend, and this is what it last
        /// read (the age counts from that read).
        case cluster
    }

    /// The backend.
    public var backend: String
    /// Age of the data in milliseconds when the answer was made (0 for live).
    public var ageMs: Int
    /// Live, cached, or another node's.
    public var source: Source

    enum CodingKeys: String, CodingKey {
        case backend, source
        case ageMs = "age_ms"
    }

    /// Creates a freshness entry.
    public init(backend: String, ageMs: Int, source: Source) {
        self.backend = backend
        self.ageMs = ageMs
        self.source = source
    }
}
