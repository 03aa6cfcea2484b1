import BrokerCore

/// The result of `snapshots.list`: a VM's snapshots as its backend keeps them, parents first.
public struct SnapshotList: Sendable, Equatable, Codable {
    /// The VM's federated name.
    public var domain: String
    /// The backend that answered.
    public var route: String
    /// The snapshots.
    public var snapshots: [DomainSnapshot]

    /// Creates a result.
    public init(domain: String, route: String, snapshots: [DomainSnapshot]) {
        self.domain = domain
        self.route = route
        self.snapshots = snapshots
    }
}
