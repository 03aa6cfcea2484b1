import NIOCore

/// Reads XDR (RFC 4506) values from a buffer. Lengths are checked against their bound and
/// against the bytes actually present before anything is allocated.
public struct XDRReader: Sendable {
    private var buffer: ByteBuffer

    /// A reader over `buffer` (its readable bytes).
    public init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    /// Bytes not yet read.
    public var remaining: Int { buffer.readableBytes }

    /// `int`.
    public mutating func readInt32(_ what: String = "int") throws(XDRError) -> Int32 { try integer(what) }

    /// `unsigned int`.
    public mutating func readUInt32(_ what: String = "unsigned int") throws(XDRError) -> UInt32 { try integer(what) }

    /// `hyper`.
    public mutating func readInt64(_ what: String = "hyper") throws(XDRError) -> Int64 { try integer(what) }

    /// `unsigned hyper`.
    public mutating func readUInt64(_ what: String = "unsigned hyper") throws(XDRError) -> UInt64 { try integer(what) }

    /// A big-endian integer of `T`'s width (XDR's four- and eight-byte units).
    private mutating func integer<T: FixedWidthInteger>(_ what: String) throws(XDRError) -> T {
        guard let value = buffer.readInteger(endianness: .big, as: T.self) else { throw .truncated(what) }
        return value
    }

    /// `bool`: 0 or 1, anything else refused.
    public mutating func readBool(_ what: String = "bool") throws(XDRError) -> Bool {
        switch try readInt32(what) {
        case 0: return false
        case 1: return true
        case let other: throw .invalidValue(what, Int64(other))
        }
    }

    /// `opaque x[count]`: fixed length, padded to 4.
    public mutating func readFixedOpaque(count: Int, _ what: String = "opaque") throws(XDRError) -> [UInt8] {
        let padded = (count + 3) & ~3
        guard buffer.readableBytes >= padded, let bytes = buffer.readBytes(length: count) else { throw .truncated(what) }
        buffer.moveReaderIndex(forwardBy: padded - count)
        return bytes
    }

    /// `opaque x<limit>`: a length, the bytes, padding.
    public mutating func readOpaque(limit: UInt32, _ what: String = "opaque") throws(XDRError) -> [UInt8] {
        let length = try readUInt32(what)
        guard length <= limit else { throw .tooLong(what, length: length, limit: limit) }
        return try readFixedOpaque(count: Int(length), what)
    }

    /// `string x<limit>` (UTF-8; invalid sequences are repaired, never trusted).
    public mutating func readString(limit: UInt32 = RemoteLimits.stringMax, _ what: String = "string") throws(XDRError) -> String {
        String(decoding: try readOpaque(limit: limit, what), as: UTF8.self)
    }

    /// `T *x`: an optional value.
    public mutating func readOptional<T>(_ what: String = "optional", _ body: (inout XDRReader) throws(XDRError) -> T) throws(XDRError) -> T? {
        try readBool(what) ? try body(&self) : nil
    }

    /// `T x<limit>`: a count, then the elements. The count is checked against the limit and
    /// against the bytes left (each element takes at least `minimumElementSize` bytes).
    public mutating func readArray<T>(limit: UInt32, minimumElementSize: Int = 4, _ what: String = "array",
                                      _ body: (inout XDRReader) throws(XDRError) -> T) throws(XDRError) -> [T] {
        let count = try readUInt32(what)
        guard count <= limit else { throw .tooLong(what, length: count, limit: limit) }
        guard Int(count) * minimumElementSize <= buffer.readableBytes else { throw .truncated(what) }
        var items: [T] = []
        items.reserveCapacity(Int(count))
        for _ in 0..<count { items.append(try body(&self)) }
        return items
    }
}
