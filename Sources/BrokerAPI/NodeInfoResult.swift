import BrokerCore

/// A host's hardware and the backend that reported it.
public struct NodeInfoResult: Sendable, Equatable, Codable {
    /// The backend.
    public var backend: String
    /// The hardware.
    public var node: NodeInfo

    /// Creates a result.
    public init(backend: String, node: NodeInfo) {
        self.backend = backend
        self.node = node
    }
}
