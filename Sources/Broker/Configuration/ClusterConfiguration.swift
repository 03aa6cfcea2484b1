/// `[cluster]`: this daemon is one node of a federation of several, on a shared PostgreSQL
/// store. Absent, the daemon is a federation of one (its state in SQLite, `[daemon] state_dir`).
public struct ClusterConfiguration: Sendable, Equatable {
    /// `store`: `postgresql://USER@HOST:PORT/DATABASE` (or `?host=/socket/directory`), without a password.
    public var store: String
    /// From `password_file` or `password_env`.
    public var password: String?
    /// `node`: this node's name in the cluster (default: the host name). Unique per cluster.
    public var node: String
    /// `site`: where this node runs; a backend with the same `site` prefers a node of it.
    public var site: String?
    /// `lease_ms`: how long a node holds a backend without renewing (default 6 s); it renews
    /// every third of it and stops acting on the backend before it runs out.
    public var leaseMilliseconds: Int

    /// The default lease.
    public static let defaultLeaseMilliseconds = 6_000

    /// Creates cluster settings.
    public init(store: String, password: String? = nil, node: String, site: String? = nil, leaseMilliseconds: Int = defaultLeaseMilliseconds) {
        self.store = store
        self.password = password
        self.node = node
        self.site = site
        self.leaseMilliseconds = leaseMilliseconds
    }
}
