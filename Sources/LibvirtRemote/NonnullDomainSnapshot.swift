/// `remote_nonnull_domain_snapshot`: a snapshot by name, with its domain.
public struct NonnullDomainSnapshot: Sendable, Equatable, XDREncodable, XDRDecodable {
    /// The snapshot's name.
    public var name: String
    /// Its domain.
    public var domain: NonnullDomain

    /// Creates a snapshot reference.
    public init(name: String, domain: NonnullDomain) {
        self.name = name
        self.domain = domain
    }

    public init(from reader: inout XDRReader) throws(XDRError) {
        name = try reader.readString(limit: RemoteLimits.stringMax, "snapshot.name")
        domain = try NonnullDomain(from: &reader)
    }

    public func encode(to writer: inout XDRWriter) {
        writer.write(name)
        domain.encode(to: &writer)
    }
}
