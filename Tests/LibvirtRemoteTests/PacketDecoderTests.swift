import LibvirtRemote
import NIOCore
import NIOEmbedded
import Testing

@Suite("libvirt packet framing")
struct PacketDecoderTests {
    func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(PacketDecoder()))
        return channel
    }

    func call(procedure: Int32, serial: UInt32, payload: [UInt8] = []) -> ByteBuffer {
        let header = PacketHeader(program: RemoteProgram.remote, version: 1, procedure: procedure, type: .call, serial: serial, status: .ok)
        return Packet(header: header, payload: ByteBuffer(bytes: payload)).encoded()
    }

    @Test func packetsSplitAcrossReadsAndJoinedInOne() throws {
        let channel = try channel()
        var both = call(procedure: 66, serial: 1)
        var second = call(procedure: 60, serial: 2, payload: [0, 0, 0, 10])
        both.writeBuffer(&second)
        let first = both.readSlice(length: 10)!
        try channel.writeInbound(first)
        #expect(try channel.readInbound(as: InboundFrame.self) == nil)
        try channel.writeInbound(both)
        guard case .packet(let one)? = try channel.readInbound(as: InboundFrame.self),
              case .packet(let two)? = try channel.readInbound(as: InboundFrame.self) else {
            Issue.record("expected two packets")
            return
        }
        #expect(one.header.procedure == 66 && one.header.serial == 1 && one.payload.readableBytes == 0)
        #expect(two.header.procedure == 60 && two.header.serial == 2 && two.payload.readableBytes == 4)
    }

    @Test(arguments: [UInt32(64 * 1024 * 1024), UInt32(16 * 1024 * 1024 + 1), UInt32(27), UInt32(0)])
    func badLengthsAreMalformedAndStopTheStream(length: UInt32) throws {
        let channel = try channel()
        var buffer = ByteBuffer()
        buffer.writeInteger(length)
        var header = XDRWriter()
        header.write(PacketHeader(program: RemoteProgram.remote, version: 1, procedure: 1, type: .call, serial: 9, status: .ok))
        var headerBytes = header.buffer
        buffer.writeBuffer(&headerBytes)
        try channel.writeInbound(buffer)
        guard case .malformed(_, let parsed)? = try channel.readInbound(as: InboundFrame.self) else {
            Issue.record("expected a malformed frame")
            return
        }
        #expect(parsed?.serial == 9)
        // Whatever follows is not read as packets.
        try channel.writeInbound(call(procedure: 66, serial: 10))
        #expect(try channel.readInbound(as: InboundFrame.self) == nil)
    }
}
