/// `remote_error`: how a call fails on the wire. The client shows `message` as-is.
public struct RemoteError: Error, Sendable, Equatable, XDREncodable, XDRDecodable {
    /// `virErrorNumber`.
    public var code: Int32
    /// `virErrorDomain`.
    public var domain: Int32
    /// The formatted message (libvirt's prefix included, e.g. "Domain not found: …").
    public var message: String?
    /// `virErrorLevel` (2 = error).
    public var level: Int32
    /// The domain concerned, if any.
    public var dom: NonnullDomain?
    /// libvirt's message format without the detail.
    public var str1: String?
    /// The detail.
    public var str2: String?
    /// Unused here.
    public var str3: String?
    /// Unused here (-1).
    public var int1: Int32
    /// Unused here (-1).
    public var int2: Int32

    /// An error at level "error" with libvirt's prefix for `code` put before `detail`.
    public init(_ code: VirErrorNumber, _ detail: String, domain: VirErrorDomain = .remote) {
        self.code = code.rawValue
        self.domain = domain.rawValue
        message = code.format(detail)
        level = 2
        str1 = code.format(nil)
        str2 = detail
        int1 = -1
        int2 = -1
    }

    public init(from reader: inout XDRReader) throws(XDRError) {
        code = try reader.readInt32("error.code")
        domain = try reader.readInt32("error.domain")
        message = try reader.readOptional("error.message") { r throws(XDRError) in try r.readString() }
        level = try reader.readInt32("error.level")
        dom = try reader.readOptional("error.dom") { r throws(XDRError) in try NonnullDomain(from: &r) }
        str1 = try reader.readOptional("error.str1") { r throws(XDRError) in try r.readString() }
        str2 = try reader.readOptional("error.str2") { r throws(XDRError) in try r.readString() }
        str3 = try reader.readOptional("error.str3") { r throws(XDRError) in try r.readString() }
        int1 = try reader.readInt32("error.int1")
        int2 = try reader.readInt32("error.int2")
        _ = try reader.readOptional("error.net") { r throws(XDRError) in try NonnullNetwork(from: &r) }
    }

    public func encode(to writer: inout XDRWriter) {
        writer.write(code)
        writer.write(domain)
        writer.writeOptional(message)
        writer.write(level)
        writer.writeOptional(dom) { $0.write($1) }
        writer.writeOptional(str1)
        writer.writeOptional(str2)
        writer.writeOptional(str3)
        writer.write(int1)
        writer.write(int2)
        writer.write(Int32(0)) // net: NULL
    }
}
