import NIOCore

/// One framed message: its header and its XDR payload.
public struct Packet: Sendable {
    /// The header.
    public var header: PacketHeader
    /// The payload (arguments, return value, error or event body).
    public var payload: ByteBuffer

    /// Creates a packet.
    public init(header: PacketHeader, payload: ByteBuffer = ByteBuffer()) {
        self.header = header
        self.payload = payload
    }

    /// The wire bytes: length word (counting itself), header, payload.
    public func encoded() -> ByteBuffer {
        var writer = XDRWriter(ByteBuffer())
        writer.write(UInt32(RemoteLimits.lengthSize + RemoteLimits.headerSize + payload.readableBytes))
        writer.write(header)
        var buffer = writer.buffer
        var payload = payload
        buffer.writeBuffer(&payload)
        return buffer
    }
}
