/// `virNetMessageHeader`: the 24 bytes after the length word.
public struct PacketHeader: Sendable, Equatable, XDREncodable, XDRDecodable {
    /// The program (`REMOTE_PROGRAM`, `KEEPALIVE_PROGRAM`).
    public var program: UInt32
    /// The program's version.
    public var version: UInt32
    /// The procedure number within the program.
    public var procedure: Int32
    /// CALL, REPLY, MESSAGE …
    public var type: MessageType
    /// Set by the caller, echoed by the reply; 0 for events and keepalives.
    public var serial: UInt32
    /// OK, ERROR or CONTINUE.
    public var status: MessageStatus

    /// Creates a header.
    public init(program: UInt32, version: UInt32, procedure: Int32, type: MessageType, serial: UInt32, status: MessageStatus) {
        self.program = program
        self.version = version
        self.procedure = procedure
        self.type = type
        self.serial = serial
        self.status = status
    }

    public init(from reader: inout XDRReader) throws(XDRError) {
        program = try reader.readUInt32("header.prog")
        version = try reader.readUInt32("header.vers")
        procedure = try reader.readInt32("header.proc")
        let rawType = try reader.readInt32("header.type")
        guard let type = MessageType(rawValue: rawType) else { throw .invalidValue("header.type", Int64(rawType)) }
        self.type = type
        serial = try reader.readUInt32("header.serial")
        let rawStatus = try reader.readInt32("header.status")
        guard let status = MessageStatus(rawValue: rawStatus) else { throw .invalidValue("header.status", Int64(rawStatus)) }
        self.status = status
    }

    public func encode(to writer: inout XDRWriter) {
        writer.write(program)
        writer.write(version)
        writer.write(procedure)
        writer.write(type.rawValue)
        writer.write(serial)
        writer.write(status.rawValue)
    }

    /// The reply header for this call.
    public func reply(_ status: MessageStatus) -> PacketHeader {
        PacketHeader(program: program, version: version, procedure: procedure, type: .reply, serial: serial, status: status)
    }
}
