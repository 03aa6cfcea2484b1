import NIOCore

/// What the framing layer hands up: a line, or the news that a line grew past the limit.
enum RPCFrame {
    case line(ByteBuffer)
    case oversize
}

/// Newline-delimited framing with a size cap. A `\r` before the newline is dropped; blank
/// lines are skipped. Past the cap it reports `oversize` once and discards the rest.
struct NewlineFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = RPCFrame

    let maxLength: Int
    private var scanned = 0
    private var overflowed = false

    init(maxLength: Int) {
        self.maxLength = maxLength
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if overflowed {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        let view = buffer.readableBytesView
        guard let newline = view.dropFirst(scanned).firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = view.count
            if view.count > maxLength {
                overflowed = true
                buffer.moveReaderIndex(to: buffer.writerIndex)
                context.fireChannelRead(Self.wrapInboundOut(.oversize))
            }
            return .needMoreData
        }
        var length = newline - view.startIndex
        scanned = 0
        if length > maxLength {
            overflowed = true
            buffer.moveReaderIndex(to: buffer.writerIndex)
            context.fireChannelRead(Self.wrapInboundOut(.oversize))
            return .needMoreData
        }
        var line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: 1)
        if length > 0, line.getInteger(at: line.readerIndex + length - 1, as: UInt8.self) == UInt8(ascii: "\r") {
            length -= 1
            line = line.getSlice(at: line.readerIndex, length: length)!
        }
        if length > 0 { context.fireChannelRead(Self.wrapInboundOut(.line(line))) }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // A last message without its newline, from a client that closed its side: answer it
        // anyway (the answer reaches a half-closed client; a gone one costs nothing).
        if seenEOF, !overflowed, buffer.readableBytes > 0, let line = buffer.readSlice(length: buffer.readableBytes) {
            context.fireChannelRead(Self.wrapInboundOut(.line(line)))
        }
        return .needMoreData
    }
}
