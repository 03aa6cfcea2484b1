/// `cluster.status`: the nodes of the cluster, which backend each holds, and the store, as the
/// answering node reads them from the store.
public struct ClusterStatus: Sendable, Codable, Equatable {
    /// One node.
    public struct Node: Sendable, Codable, Equatable {
        /// Its name.
        public var name: String
        /// Its site, if it has one.
        public var site: String?
        /// Since its last heartbeat.
        public var heartbeatAgeMilliseconds: Int
        /// Alive: a heartbeat within the lease time and not stopping.
        public var alive: Bool
        /// The backends it holds (leases not expired), sorted.
        public var backends: [String]

        enum CodingKeys: String, CodingKey {
            case name, site, alive, backends
            case heartbeatAgeMilliseconds = "heartbeat_age_ms"
        }

        /// Creates a node's record.
        public init(name: String, site: String?, heartbeatAgeMilliseconds: Int, alive: Bool, backends: [String]) {
            self.name = name
            self.site = site
            self.heartbeatAgeMilliseconds = heartbeatAgeMilliseconds
            self.alive = alive
            self.backends = backends
        }
    }

    /// One backend's lease.
    public struct Lease: Sendable, Codable, Equatable {
        /// The backend.
        public var backend: String
        /// Who holds it.
        public var node: String
        /// How many times it changed hands (fences a former holder).
        public var generation: Int64
        /// Until it expires (negative: expired).
        public var expiresInMilliseconds: Int

        enum CodingKeys: String, CodingKey {
            case backend, node, generation
            case expiresInMilliseconds = "expires_in_ms"
        }

        /// Creates a lease record.
        public init(backend: String, node: String, generation: Int64, expiresInMilliseconds: Int) {
            self.backend = backend
            self.node = node
            self.generation = generation
            self.expiresInMilliseconds = expiresInMilliseconds
        }
    }

    /// The node that answered.
    public var node: String
    /// The store, without secrets.
    public var store: String
    /// One round trip to the store, as the answering node measured it.
    public var storeLatencyMilliseconds: Double
    /// Every node that has registered, alive first.
    public var nodes: [Node]
    /// Every lease.
    public var leases: [Lease]
    /// Configured backends no node holds now.
    public var unowned: [String]

    enum CodingKeys: String, CodingKey {
        case node, store, nodes, leases, unowned
        case storeLatencyMilliseconds = "store_latency_ms"
    }

    /// Creates a status.
    public init(node: String, store: String, storeLatencyMilliseconds: Double, nodes: [Node], leases: [Lease], unowned: [String]) {
        self.node = node
        self.store = store
        self.storeLatencyMilliseconds = storeLatencyMilliseconds
        self.nodes = nodes
        self.leases = leases
        self.unowned = unowned
    }
}
