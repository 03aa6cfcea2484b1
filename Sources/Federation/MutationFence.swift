import BrokerAPI
import BrokerCore

/// Whether this daemon may send a change to a backend now. In a cluster only the node that
/// holds a backend's lease may, and only while the lease is surely its own; a single daemon has
/// no fence. Checked by the service right before every change is handed to a session.
public protocol MutationFence: Sendable {
    /// Nil when a change may be sent to `backend`; else why not (a `backend_unavailable` that
    /// was provably not sent).
    func refusal(toChange backend: String) -> BackendError?
}

/// This daemon's place in a cluster, as the service sees it: the fence, the cluster's status
/// for `cluster.status`, and the way to another node for a change to a backend it holds.
public protocol ClusterMembership: MutationFence {
    /// The nodes, their backends and the store, as the store has them now.
    func status() async throws(BackendError) -> ClusterStatus
    /// Every backend of the cluster, held by this node or another.
    var backendNames: Set<String> { get }
    /// The URI of a backend of the cluster, held by this node or another.
    func uri(of backend: String) -> BackendURI?
    /// The other node that holds `backend`, nil when this node does or none is known to.
    func holder(of backend: String) -> String?
    /// Hands `request` to `node` (the holder of `backend`) and answers what it answered. Sent at
    /// most once: a request the node never took is `backend_unavailable` (not sent); one it took
    /// and did not answer is `outcome_unknown`.
    func forward(_ request: ForwardedRequest, to node: String, backend: String) async throws(BackendError) -> ActionResult
    /// A job another node runs, from the cluster's job history.
    func job(_ id: String) async -> JobRecord?
    /// Every job of the cluster's history, oldest first (empty when the store does not answer).
    func jobs() async -> [JobRecord]
}
