import NIOCore

/// Writes XDR (RFC 4506) values into a buffer.
public struct XDRWriter: Sendable {
    /// What has been written.
    public private(set) var buffer: ByteBuffer

    /// A writer appending to `buffer` (a new one by default).
    public init(_ buffer: ByteBuffer = ByteBuffer()) {
        self.buffer = buffer
    }

    /// `int`.
    public mutating func write(_ value: Int32) { buffer.writeInteger(value, endianness: .big) }
    /// `unsigned int` (also rpcgen's `unsigned char` and `unsigned short`, which take 4 bytes).
    public mutating func write(_ value: UInt32) { buffer.writeInteger(value, endianness: .big) }
    /// `hyper`.
    public mutating func write(_ value: Int64) { buffer.writeInteger(value, endianness: .big) }
    /// `unsigned hyper`.
    public mutating func write(_ value: UInt64) { buffer.writeInteger(value, endianness: .big) }
    /// `bool` / libvirt's `int` flags: 0 or 1.
    public mutating func write(_ value: Bool) { write(Int32(value ? 1 : 0)) }
    /// `double`.
    public mutating func write(_ value: Double) { write(value.bitPattern) }

    /// `opaque x[n]`: the bytes, padded to 4 (no length).
    public mutating func writeFixedOpaque(_ bytes: [UInt8]) {
        buffer.writeBytes(bytes)
        let pad = (4 - bytes.count % 4) % 4
        if pad > 0 { buffer.writeRepeatingByte(0, count: pad) }
    }

    /// `opaque x<>`: a length, the bytes, padding.
    public mutating func writeOpaque(_ bytes: [UInt8]) {
        write(UInt32(bytes.count))
        writeFixedOpaque(bytes)
    }

    /// `string x<>`.
    public mutating func write(_ value: String) { writeOpaque(Array(value.utf8)) }

    /// `T *x`: 0 for nil, else 1 and the value.
    public mutating func writeOptional<T>(_ value: T?, _ body: (inout XDRWriter, T) -> Void) {
        if let value {
            write(Int32(1))
            body(&self, value)
        } else {
            write(Int32(0))
        }
    }

    /// `string *x`.
    public mutating func writeOptional(_ value: String?) { writeOptional(value) { $0.write($1) } }

    /// `T x<>`: a count, then the elements.
    public mutating func writeArray<T>(_ items: [T], _ body: (inout XDRWriter, T) -> Void) {
        write(UInt32(items.count))
        for item in items { body(&self, item) }
    }

    /// A value that knows its own layout.
    public mutating func write(_ value: some XDREncodable) { value.encode(to: &self) }
}
