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

/// This daemon's place in a cluster, as the service sees it: the fence, and the cluster's
/// status for `cluster.status`.
public protocol ClusterMembership: MutationFence {
    /// The nodes, their backends and the store, as the store has them now.
    func status() async throws(BackendError) -> ClusterStatus
}
