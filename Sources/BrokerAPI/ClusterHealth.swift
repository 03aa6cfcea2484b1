/// A node's own view of its cluster, from memory (what its last round saw): what `/metrics`
/// reports as the cluster gauges, without a query to the store at scrape time.
public struct ClusterHealth: Sendable, Equatable {
    /// The age of this node's copy of one backend another node holds.
    public struct PeerCopy: Sendable, Equatable {
        /// The backend.
        public var backend: String
        /// The node holding it.
        public var node: String
        /// Since the holder read it from the backend.
        public var ageSeconds: Double

        /// Creates a copy's record.
        public init(backend: String, node: String, ageSeconds: Double) {
            self.backend = backend
            self.node = node
            self.ageSeconds = ageSeconds
        }
    }

    /// This node's name.
    public var node: String
    /// Whether the last round reached the store.
    public var storeUp: Bool
    /// How long the last finished round took (heartbeat, leases, publishing, copies), in seconds.
    public var lastRoundSeconds: Double?
    /// Nodes alive, as of the last round.
    public var nodesAlive: Int
    /// Nodes registered but not alive (stopped or silent).
    public var nodesDown: Int
    /// Backends this node holds.
    public var backendsHeld: Int
    /// Configured backends no node held, as of the last round.
    public var backendsUnheld: Int
    /// This node's copies of the backends others hold.
    public var peerCopies: [PeerCopy]
    /// Events sent to the other nodes since start.
    public var eventsSent: Int
    /// Events received from the other nodes since start.
    public var eventsReceived: Int
    /// Events that could not be relayed since start.
    public var eventsLost: Int

    /// Creates a health record.
    public init(node: String, storeUp: Bool, lastRoundSeconds: Double?, nodesAlive: Int, nodesDown: Int, backendsHeld: Int,
                backendsUnheld: Int, peerCopies: [PeerCopy], eventsSent: Int, eventsReceived: Int, eventsLost: Int) {
        self.node = node
        self.storeUp = storeUp
        self.lastRoundSeconds = lastRoundSeconds
        self.nodesAlive = nodesAlive
        self.nodesDown = nodesDown
        self.backendsHeld = backendsHeld
        self.backendsUnheld = backendsUnheld
        self.peerCopies = peerCopies
        self.eventsSent = eventsSent
        self.eventsReceived = eventsReceived
        self.eventsLost = eventsLost
    }
}
