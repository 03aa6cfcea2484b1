import NIOCore

/// Sends asynchronous MESSAGE packets (events) of the remote program to one client.
public final class RemoteEventSink: Sendable {
    private let channel: any Channel

    init(channel: any Channel) {
        self.channel = channel
    }

    /// Whether the client is still connected.
    public var isActive: Bool { channel.isActive }

    /// Sends `payload` as a MESSAGE of `procedure`, serial 0, status OK; returns once it is
    /// written, so a client that does not read its events holds up only its own sender.
    public func send(procedure: Int32, payload: ByteBuffer) async {
        let header = PacketHeader(program: RemoteProgram.remote, version: RemoteProgram.remoteVersion, procedure: procedure,
                                  type: .message, serial: 0, status: .ok)
        try? await channel.writeAndFlush(Packet(header: header, payload: payload).encoded()).get()
    }
}
