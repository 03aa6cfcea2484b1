/// `remote_nonnull_domain`: how a domain travels — name, UUID, id (-1 when inactive).
public struct NonnullDomain: Sendable, Equatable, XDREncodable, XDRDecodable {
    /// The name.
    public var name: String
    /// The 16 UUID bytes.
    public var uuid: [UInt8]
    /// The id while running, else -1.
    public var id: Int32

    /// Creates a domain reference.
    public init(name: String, uuid: [UInt8], id: Int32) {
        self.name = name
        self.uuid = uuid
        self.id = id
    }

    public init(from reader: inout XDRReader) throws(XDRError) {
        name = try reader.readString(limit: RemoteLimits.stringMax, "domain.name")
        uuid = try reader.readFixedOpaque(count: 16, "domain.uuid")
        id = try reader.readInt32("domain.id")
    }

    public func encode(to writer: inout XDRWriter) {
        writer.write(name)
        writer.writeFixedOpaque(uuid)
        writer.write(id)
    }
}
