import NIOCore

/// Answers a connection's calls one at a time, in order, off the event loop.
enum CallLoop {
    static func serve(_ stream: AsyncStream<RemoteConnectionHandler.Call>, client: any RemoteClient, channel: any Channel, queued: SharedCounter) async {
        for await call in stream {
            let reply: Packet
            switch await client.call(procedure: call.header.procedure, arguments: XDRReader(call.payload)) {
            case .success(let payload): reply = Packet(header: call.header.reply(.ok), payload: payload)
            case .failure(let error): reply = errorPacket(call.header, error)
            }
            // The next call waits until this answer is on its way: a client that does not read
            // its answers stops being read (the counter pauses the socket), memory stays bounded.
            try? await channel.writeAndFlush(reply.encoded()).get()
            queued.decrement(channel)
        }
        await client.disconnected()
    }

    static func errorPacket(_ header: PacketHeader, _ error: RemoteError) -> Packet {
        var writer = XDRWriter()
        writer.write(error)
        return Packet(header: header.reply(.error), payload: writer.buffer)
    }
}
