import BrokerCore

/// The VMs of backends another node of a cluster holds, as that node last published them:
/// what `Broker.sources` adds to its own backends' answers, so that any node lists the whole
/// federation. Read from memory (the node refreshes it from the store in the background):
/// a listing never waits for the store.
public protocol PeerInventory: Sendable {
    /// The backends not in `held`, each with its VMs and how old they are.
    func peerSources(excluding held: Set<String>) -> [PeerSource]
}

/// One backend's VMs as its holder published them.
public struct PeerSource: Sendable {
    /// The backend.
    public var backend: String
    /// How it reaches its VMs (its plugin's).
    public var routeKind: RouteKind
    /// Its VMs.
    public var domains: [Domain]
    /// How old they are: since the holder read them from the backend.
    public var age: Duration
    /// The node that holds it.
    public var node: String

    /// Creates a peer source.
    public init(backend: String, routeKind: RouteKind, domains: [Domain], age: Duration, node: String) {
        self.backend = backend
        self.routeKind = routeKind
        self.domains = domains
        self.age = age
        self.node = node
    }
}
