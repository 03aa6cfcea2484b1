/// A server that serves until shut down: the daemon's JSON-RPC, libvirt-protocol and
/// `/metrics` servers, run alike by its service group.
public protocol SocketServer: Sendable {
    /// Binds and serves until `shutdown()` or task cancellation, then drains and stops.
    func run() async throws

    /// Starts a graceful shutdown; `run()` returns when it is done.
    func shutdown()

    /// Returns once `run()` has bound its socket and clients can connect (or when the waiting
    /// task is cancelled). One waiter at a time.
    func listening() async

    /// Clients connected now.
    var connections: Int { get }
}
