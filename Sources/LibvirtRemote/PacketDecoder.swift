import NIOCore

/// What the framing layer hands on: a packet, or the reason the stream cannot be framed any
/// more (after which the connection is answered once and closed).
public enum InboundFrame: Sendable {
    /// A well-framed packet.
    case packet(Packet)
    /// The length word or header is unusable; `header` is known when it could be read.
    case malformed(String, header: PacketHeader?)
}

/// Splits the byte stream into packets: a 4-byte length (counting itself), never trusted —
/// below 28 or above `maxLength` the stream is declared malformed and nothing more is read.
public struct PacketDecoder: ByteToMessageDecoder {
    public typealias InboundOut = InboundFrame

    private let maxLength: Int
    private var broken = false

    /// A decoder refusing packets longer than `maxLength` bytes (16 MiB by default).
    public init(maxLength: Int = RemoteLimits.messageMax) {
        self.maxLength = maxLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if broken {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else { return .needMoreData }
        let minimum = RemoteLimits.lengthSize + RemoteLimits.headerSize
        if Int(length) < minimum || Int(length) > maxLength {
            broken = true
            var header: PacketHeader?
            if let bytes = buffer.getSlice(at: buffer.readerIndex + 4, length: RemoteLimits.headerSize) {
                var reader = XDRReader(bytes)
                header = try? PacketHeader(from: &reader)
            }
            buffer.moveReaderIndex(to: buffer.writerIndex)
            let reason = Int(length) < minimum ? "packet length \(length) is below \(minimum)" : "packet length \(length) exceeds \(maxLength)"
            context.fireChannelRead(wrapInboundOut(.malformed(reason, header: header)))
            return .needMoreData
        }
        guard buffer.readableBytes >= Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: RemoteLimits.lengthSize)
        var reader = XDRReader(buffer.readSlice(length: RemoteLimits.headerSize)!)
        let payload = buffer.readSlice(length: Int(length) - minimum)!
        do {
            let header = try PacketHeader(from: &reader)
            context.fireChannelRead(wrapInboundOut(.packet(Packet(header: header, payload: payload))))
        } catch {
            // A header with an unknown type or status: the frame is intact, only this packet is bad.
            context.fireChannelRead(wrapInboundOut(.malformed("\(error)", header: nil)))
            broken = true
        }
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}
