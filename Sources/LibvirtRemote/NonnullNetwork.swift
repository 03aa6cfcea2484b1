/// `remote_nonnull_network`: name and UUID.
public struct NonnullNetwork: Sendable, Equatable, XDREncodable, XDRDecodable {
    /// The name.
    public var name: String
    /// The 16 UUID bytes.
    public var uuid: [UInt8]

    public init(from reader: inout XDRReader) throws(XDRError) {
        name = try reader.readString(limit: RemoteLimits.stringMax, "network.name")
        uuid = try reader.readFixedOpaque(count: 16, "network.uuid")
    }

    public func encode(to writer: inout XDRWriter) {
        writer.write(name)
        writer.writeFixedOpaque(uuid)
    }
}
