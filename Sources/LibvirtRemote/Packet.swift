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

/// The programs this server speaks.
public enum RemoteProgram {
    /// `REMOTE_PROGRAM`.
    public static let remote: UInt32 = 0x2000_8086
    /// `REMOTE_PROTOCOL_VERSION`.
    public static let remoteVersion: UInt32 = 1
    /// `KEEPALIVE_PROGRAM` ("keep").
    public static let keepalive: UInt32 = 0x6b65_6570
    /// `KEEPALIVE_PROTOCOL_VERSION`.
    public static let keepaliveVersion: UInt32 = 1
    /// `KEEPALIVE_PROC_PING`.
    public static let ping: Int32 = 1
    /// `KEEPALIVE_PROC_PONG`.
    public static let pong: Int32 = 2
}
