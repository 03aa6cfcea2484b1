import NIOCore

/// One connection's procedures. Calls arrive one at a time, in order.
public protocol RemoteClient: Sendable {
    /// Answers a CALL of the remote program: the XDR return payload, or an error.
    func call(procedure: Int32, arguments: XDRReader) async -> Result<ByteBuffer, RemoteError>
    /// The connection is gone (events must stop).
    func disconnected() async
}
