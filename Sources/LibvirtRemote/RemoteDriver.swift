/// What a libvirt remote-protocol server serves: it knows nothing of sockets, and the server
/// knows nothing of what the procedures do. One `RemoteClient` per connection, like a
/// libvirt connection object.
public protocol RemoteDriver: Sendable {
    /// A new connection has been accepted; `events` pushes MESSAGE packets to it.
    func connect(_ context: RemoteClientContext, events: RemoteEventSink) -> any RemoteClient
}
