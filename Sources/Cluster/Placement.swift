/// Which node should hold each backend: rendezvous hashing (each backend goes to the live node
/// with the highest hash of the pair), among the live nodes of the backend's site when one is
/// alive, else among all. Every node computes the same answer from the same facts without
/// talking to the others; a node joining takes about 1/N of the backends, a node leaving
/// spreads its own evenly over the rest, and nothing else moves.
public struct Placement: Sendable {
    /// A live node.
    public struct Node: Sendable, Equatable {
        public var name: String
        public var site: String?

        /// Creates a node.
        public init(name: String, site: String? = nil) {
            self.name = name
            self.site = site
        }
    }

    /// The live nodes.
    public var nodes: [Node]

    /// Placement over `nodes`.
    public init(nodes: [Node]) {
        self.nodes = nodes
    }

    /// The node that should hold `backend` (of `site`), nil when no node is alive.
    public func owner(of backend: String, site: String?) -> String? {
        let local = site.map { site in nodes.filter { $0.site == site } } ?? []
        let candidates = local.isEmpty ? nodes : local
        return candidates.max { Self.weight(backend, $0.name) < Self.weight(backend, $1.name) }?.name
    }

    /// FNV-1a over `backend`, a separator and `node`, then mixed (splitmix64) so that close
    /// names weigh far apart.
    static func weight(_ backend: String, _ node: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in backend.utf8 + [0] + node.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        hash ^= hash >> 30
        hash &*= 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 27
        hash &*= 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }
}
