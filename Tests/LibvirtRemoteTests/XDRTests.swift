import LibvirtRemote
import NIOCore
import Testing

@Suite("XDR encoding and decoding")
struct XDRTests {
    func bytes(_ writer: XDRWriter) -> [UInt8] { Array(writer.buffer.readableBytesView) }

    @Test func stringsArePaddedToFourBytes() throws {
        var writer = XDRWriter()
        writer.write("vm1")
        #expect(bytes(writer) == [0, 0, 0, 3, 0x76, 0x6d, 0x31, 0])
        var reader = XDRReader(writer.buffer)
        #expect(try reader.readString() == "vm1")
        #expect(reader.remaining == 0)
    }

    @Test func theProtocolDocumentsLookupReplyMatches() throws {
        // protocols.md §4.5: REPLY LOOKUP_BY_NAME serial=5, dom {"vm1", c7a5fdbd-…, -1}.
        let uuid = try #require(UUIDBytes.parse("c7a5fdbd-cdaf-9455-926a-d65c16db1809"))
        var payload = XDRWriter()
        payload.write(NonnullDomain(name: "vm1", uuid: uuid, id: -1))
        let header = PacketHeader(program: RemoteProgram.remote, version: 1, procedure: 23, type: .reply, serial: 5, status: .ok)
        let packet = Array(Packet(header: header, payload: payload.buffer).encoded().readableBytesView)
        let expected: [UInt8] = [
            0, 0, 0, 0x38, 0x20, 0, 0x80, 0x86, 0, 0, 0, 1, 0, 0, 0, 0x17, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 0,
            0, 0, 0, 3, 0x76, 0x6d, 0x31, 0,
            0xc7, 0xa5, 0xfd, 0xbd, 0xcd, 0xaf, 0x94, 0x55, 0x92, 0x6a, 0xd6, 0x5c, 0x16, 0xdb, 0x18, 0x09,
            0xff, 0xff, 0xff, 0xff,
        ]
        #expect(packet == expected)
        #expect(UUIDBytes.format(uuid) == "c7a5fdbd-cdaf-9455-926a-d65c16db1809")
    }

    @Test func truncatedValuesAreTypedErrors() throws {
        var reader = XDRReader(ByteBuffer(bytes: [0, 0, 0]))
        #expect(throws: XDRError.truncated("int")) { try reader.readInt32() }
        var short = XDRReader(ByteBuffer(bytes: [0, 0, 0, 8, 0x61, 0x62]))
        #expect(throws: XDRError.truncated("string")) { try short.readString() }
    }

    @Test func lengthsAreNeverTrusted() throws {
        var huge = XDRReader(ByteBuffer(bytes: [0xff, 0xff, 0xff, 0xf0]))
        #expect(throws: XDRError.tooLong("string", length: 0xffff_fff0, limit: RemoteLimits.stringMax)) { try huge.readString() }
        // An array count within its bound but larger than the bytes present fails before allocating.
        var array = XDRReader(ByteBuffer(bytes: [0, 0, 0x10, 0, 0, 0, 0, 1]))
        #expect(throws: XDRError.truncated("array")) {
            try array.readArray(limit: 16384) { r throws(XDRError) in try r.readInt32() }
        }
    }

    @Test func optionalsAndBooleans() throws {
        var writer = XDRWriter()
        writer.writeOptional(nil as String?)
        writer.writeOptional("test:///default")
        var reader = XDRReader(writer.buffer)
        #expect(try reader.readOptional { r throws(XDRError) in try r.readString() } == nil)
        #expect(try reader.readOptional { r throws(XDRError) in try r.readString() } == "test:///default")
        var bad = XDRReader(ByteBuffer(bytes: [0, 0, 0, 2]))
        #expect(throws: XDRError.invalidValue("bool", 2)) { try bad.readBool() }
    }

    @Test func rpcgenWidensSmallIntegersInDomainInfo() {
        var writer = XDRWriter()
        writer.write(DomainInfoReply(state: 1, maxMemKiB: 1024, memoryKiB: 512, vcpus: 2, cpuTimeNs: 7))
        #expect(writer.buffer.readableBytes == 32)
        var node = XDRWriter()
        node.write(NodeInfoReply(model: "x86_64", memoryKiB: 1, cpus: 2, mhz: 3, nodes: 1, sockets: 1, cores: 2, threads: 1))
        #expect(node.buffer.readableBytes == 32 * 4 + 8 + 6 * 4)
    }

    @Test func remoteErrorRoundTrips() throws {
        var writer = XDRWriter()
        writer.write(RemoteError(.noDomain, "no domain with matching name 'x'", domain: .dom))
        var reader = XDRReader(writer.buffer)
        let decoded = try RemoteError(from: &reader)
        #expect(decoded.code == 42)
        #expect(decoded.message == "Domain not found: no domain with matching name 'x'")
        #expect(reader.remaining == 0)
    }
}
