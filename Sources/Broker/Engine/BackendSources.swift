import BrokerAPI
import BrokerCore

/// Every backend's VMs as one listing needs them: one `Namespace.Source` per backend that
/// answered (live or from the cache), one failure per backend that did not, and where each
/// part came from. When every part came from the inventory cache, `cacheGeneration` says at
/// which generation: the same generation gives the same sources (and the same
/// `cacheShape`, the same VMs in the same states, their counters aside).
public struct BackendSources: Sendable {
    /// The backends that answered, in configuration order (and, when last-known data was
    /// asked for, those that did not but were read before).
    public var sources: [Namespace.Source] = []
    /// The backends that did not answer.
    public var failures: [BackendFailure] = []
    /// Live or cached, and how old, per backend that answered.
    public var freshness: [BackendFreshness] = []
    /// The cache generation, or nil when any backend was asked live or failed.
    public var cacheGeneration: Int?
    /// The cache's shape generation when `cacheGeneration` is set (see `InventoryCache.shapeGeneration`).
    public var cacheShape: Int?
    /// The route kind preferred when a VM has two.
    public var preferredRoute: RouteKind

    /// Creates an empty set of sources.
    public init(preferredRoute: RouteKind) {
        self.preferredRoute = preferredRoute
    }

    /// The merged namespace.
    public var namespace: Namespace { Namespace(sources: sources, prefer: preferredRoute) }

    /// The merged namespace as a listing shows it: VMs only a down backend knew are left out,
    /// and those it shares with a backend that answers keep their names.
    public var listedNamespace: Namespace { Namespace(sources: sources, prefer: preferredRoute, answeringOnly: true) }
}
