import NIOCore

#if canImport(Glibc)
import Glibc
#endif

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
        let readable = buffer.readableBytes
        guard let newline = buffer.withUnsafeReadableBytes({ Self.offset(of: UInt8(ascii: "\n"), in: $0, from: scanned) }) else {
            scanned = readable
            if readable > maxLength {
                overflowed = true
                buffer.moveReaderIndex(to: buffer.writerIndex)
                context.fireChannelRead(Self.wrapInboundOut(.oversize))
            }
            return .needMoreData
        }
        var length = newline
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

    /// Where `byte` first occurs in `bytes` at or after `start` (memchr: lines are scanned once).
    private static func offset(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = bytes.baseAddress, start < bytes.count,
              let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
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
