import Foundation
import Testing

/// python-libvirt, and hostile clients on a raw socket, against the libvirt facade.
@Suite("libvirt facade: python-libvirt and malformed packets", .serialized)
struct LibvirtFacadeClientsTests {
    @Test func pythonLibvirtListsLooksUpOperatesAndReceivesLifecycleEvents() throws {
        let facade = try LibvirtFacadeDaemon(backends: DaemonProtocolTests.demo)
        let script = Paths.root.appendingPathComponent("Tests/IntegrationTests/Peers/libvirt_facade_client.py").path
        let run = try runCommand("/usr/bin/python3", [script, facade.socket, facade.readonlySocket, "kvm-a/web-01", "kvm-b/test-sandbox"], timeout: 90)
        #expect(run.status == 0, "\(run)")
        let result = try #require(try run.json() as? [String: Any], "\(run)")
        #expect((result["uri"] as? String)?.hasPrefix("virtfed+unix:///system") == true, "\(result["uri"] ?? "none")")
        #expect(result["type"] as? String == "virtfed")
        #expect(result["libVersion"] as? Int == 9_000_000)
        #expect(result["secure"] as? Int == 1 && result["encrypted"] as? Int == 0)
        #expect(result["networks"] as? Int == 0 && result["pools"] as? Int == 0 && result["nodeDevices"] as? Int == 0)
        let all = result["all"] as? [String] ?? []
        #expect(all.contains("kvm-a/web-01") && all.contains("kvm-b/test-sandbox") && all.count == 13, "\(all)")
        let ids = result["ids"] as? [Int] ?? []
        #expect(Set(ids).count == ids.count && !ids.contains(-1))
        #expect(result["oldIDs"] as? [Int] == ids)
        #expect(result["numOfDomains"] as? Int == ids.count)
        #expect(result["oldDefined"] as? [String] == result["inactive"] as? [String])
        #expect(result["numOfDefined"] as? Int == (result["inactive"] as? [String])?.count)
        #expect((result["inactive"] as? [String])?.contains("kvm-b/test-sandbox") == true)
        let byName = try #require(result["byName"] as? [String: Any])
        #expect(byName["name"] as? String == "kvm-a/web-01")
        #expect(byName["uuid"] as? String == "aaaa0001-0a0a-4a0a-8a0a-00000000a001")
        #expect((byName["info"] as? [Int])?.first == 1)  // VIR_DOMAIN_RUNNING
        #expect(result["byUUID"] as? String == "kvm-a/web-01")
        #expect(result["byID"] as? String == "kvm-a/web-01")
        #expect(result["missing"] as? Int == 42)  // VIR_ERR_NO_DOMAIN
        let stats = try #require(result["stats"] as? [String: [String: Any]])
        #expect(stats["kvm-a/cache-redis"]?["state.state"] as? Int == 3)
        #expect(stats["kvm-a/web-01"]?["balloon.current"] as? Int == 4_194_304)

        let started = try #require(result["afterStart"] as? [String: Any])
        #expect((started["state"] as? [Int])?.first == 1 && started["active"] as? Int == 1 && (started["id"] as? Int ?? -1) > 0, "\(started)")
        #expect((result["afterSuspend"] as? [Int])?.first == 3)
        #expect((result["afterDestroy"] as? [String: Any])?["id"] as? Int == -1)
        // Lifecycle events: started, suspended, resumed, stopped (libvirt's numbers), in order.
        let events = (result["events"] as? [[String: Any]] ?? []).map { [$0["event"] as? Int ?? -1, $0["detail"] as? Int ?? -1] }
        #expect(events == [[2, 0], [3, 0], [4, 0], [5, 1]], "\(result["events"] ?? "none")")

        let readOnly = try #require(result["readOnly"] as? [String: Any])
        #expect(readOnly["code"] as? Int == 29)  // VIR_ERR_OPERATION_DENIED
        #expect((readOnly["message"] as? String)?.contains("read only access prevents virDomainSuspend") == true)
        #expect(result["readOnlySocketList"] as? Int == 13)
        let socketRefusal = try #require(result["readOnlySocket"] as? [String: Any])
        #expect(socketRefusal["code"] as? Int == 29)
        #expect(socketRefusal["message"] as? String == "operation forbidden: read only access prevents virDomainSuspend", "\(socketRefusal)")
    }

    /// A raw libvirt-protocol client on a blocking socket.
    final class RawClient {
        let line: LineClient
        init(_ path: String) throws { line = try LineClient(path: path) }

        func send(_ bytes: [UInt8]) throws { try line.sendBytes(bytes) }

        /// One packet: header fields and payload; nil on close or time-out.
        func receive(timeout: Double = 10) -> (procedure: Int32, type: Int32, serial: UInt32, status: Int32, payload: [UInt8])? {
            guard let lengthBytes = read(4, timeout: timeout) else { return nil }
            let length = Int(UInt32(bigEndian: lengthBytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
            guard length >= 28, let rest = read(length - 4, timeout: timeout) else { return nil }
            func word(_ index: Int) -> UInt32 { UInt32(bigEndian: rest[(index * 4)..<(index * 4 + 4)].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }) }
            return (Int32(bitPattern: word(2)), Int32(bitPattern: word(3)), word(4), Int32(bitPattern: word(5)), Array(rest[24...]))
        }

        private func read(_ count: Int, timeout: Double) -> [UInt8]? {
            var out: [UInt8] = []
            let deadline = Date().addingTimeInterval(timeout)
            while out.count < count && Date() < deadline {
                var poller = pollfd(fd: line.descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) >= 0 else { return nil }
                if poller.revents == 0 { continue }
                var chunk = [UInt8](repeating: 0, count: count - out.count)
                let got = chunk.withUnsafeMutableBytes { Glibc.read(line.descriptor, $0.baseAddress, $0.count) }
                guard got > 0 else { return nil }
                out += chunk[..<got]
            }
            return out.count == count ? out : nil
        }
    }

    static func be(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

    static func packet(program: UInt32 = 0x2000_8086, procedure: Int32, type: Int32 = 0, serial: UInt32, payload: [UInt8] = [], length: UInt32? = nil) -> [UInt8] {
        let header = be(program) + be(1) + be(UInt32(bitPattern: procedure)) + be(UInt32(bitPattern: type)) + be(serial) + be(0)
        return be(length ?? UInt32(4 + header.count + payload.count)) + header + payload
    }

    /// AUTH_LIST + CONNECT_OPEN("test:///default").
    static func open(_ client: RawClient) throws {
        try client.send(packet(procedure: 66, serial: 1))
        #expect(client.receive()?.status == 0)
        try connectOpen(client)
    }

    /// CONNECT_OPEN("test:///default"), serial 2.
    static func connectOpen(_ client: RawClient) throws {
        let name = Array("test:///default".utf8)
        let payload = be(1) + be(UInt32(name.count)) + name + [0] + be(0)
        try client.send(packet(procedure: 1, serial: 2, payload: payload))
        #expect(client.receive()?.status == 0)
    }

    @Test func malformedPacketsHarmOnlyTheirOwnClient() throws {
        let facade = try LibvirtFacadeDaemon(backends: DaemonProtocolTests.demo)
        // A well-behaved client, open throughout.
        let good = try RawClient(facade.socket)
        try Self.open(good)

        // Unknown program: an RPC error, the connection stays.
        let stranger = try RawClient(facade.socket)
        try stranger.send(Self.packet(program: 0x1234_5678, procedure: 1, serial: 7))
        let refused = try #require(stranger.receive())
        #expect(refused.serial == 7 && refused.type == 1 && refused.status == 1)
        try Self.open(stranger)

        // Truncated XDR arguments (LOOKUP_BY_NAME with a string length past the payload): an error reply.
        try stranger.send(Self.packet(procedure: 23, serial: 9, payload: Self.be(100) + [0x61, 0x62]))
        let truncated = try #require(stranger.receive())
        #expect(truncated.serial == 9 && truncated.status == 1)
        #expect(String(decoding: truncated.payload, as: UTF8.self).contains("Unable to decode message payload"))
        // An unsupported procedure: VIR_ERR_NO_SUPPORT (3), still connected.
        try stranger.send(Self.packet(procedure: 56, serial: 10, payload: [UInt8](repeating: 0, count: 28)))
        let unsupported = try #require(stranger.receive())
        #expect(unsupported.status == 1 && Array(unsupported.payload.prefix(4)) == Self.be(3))
        // Keepalive: PING gets a PONG.
        try stranger.send(Self.packet(program: 0x6b65_6570, procedure: 1, type: 2, serial: 0))
        let pong = try #require(stranger.receive())
        #expect(pong.procedure == 2 && pong.type == 2)

        // A 64 MiB length: an error naming the limit, then the client is closed.
        let greedy = try RawClient(facade.socket)
        try greedy.send(Self.packet(procedure: 66, serial: 3, length: 64 * 1024 * 1024))
        let tooBig = try #require(greedy.receive())
        #expect(tooBig.serial == 3 && tooBig.status == 1)
        #expect(String(decoding: tooBig.payload, as: UTF8.self).contains("exceeds 16777216"))
        #expect(greedy.line.isClosedByPeer())

        // A length below the header: closed.
        let tiny = try RawClient(facade.socket)
        try tiny.send(Self.be(8) + Self.be(0))
        #expect(tiny.line.isClosedByPeer())

        // A header cut short, then the client hangs up: nothing for anyone else.
        let cut = try RawClient(facade.socket)
        try cut.send(Array(Self.packet(procedure: 66, serial: 1).prefix(13)))

        // The good client still works, and virsh too.
        try good.send(Self.packet(procedure: 273, serial: 3, payload: Self.be(1) + Self.be(3)))
        let listing = try #require(good.receive())
        #expect(listing.serial == 3 && listing.status == 0 && Array(listing.payload.prefix(4)) == Self.be(13))
        #expect(try facade.virsh("list", "--all", "--name").stdout.contains("kvm-a/web-01"))
        #expect(!facade.daemon.hasExited)
    }

    @Test func aClientThatNeverReadsItsAnswersIsNoLongerRead() throws {
        let facade = try LibvirtFacadeDaemon(backends: DaemonProtocolTests.demo)
        let flooder = try RawClient(facade.socket)
        try Self.open(flooder)
        // Calls as fast as the socket takes them, answers never read: once the kernel buffers
        // are full both ways the daemon stops reading this client, and sending blocks.
        let flags = fcntl(flooder.line.descriptor, F_GETFL)
        _ = fcntl(flooder.line.descriptor, F_SETFL, flags | O_NONBLOCK)
        let call = Self.packet(procedure: 66, serial: 5)
        var sent = 0, stalls = 0
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && stalls < 5 {
            let written = call.withUnsafeBytes { Glibc.send(flooder.line.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written > 0 {
                sent += written
                stalls = 0
            } else if errno == EAGAIN {
                stalls += 1  // five times in a row, 0.2 s apart: the daemon has stopped reading
                usleep(200_000)
            } else {
                break
            }
        }
        #expect(stalls == 5, "the daemon kept reading (\(sent) bytes sent)")
        #expect(sent < 32 * 1024 * 1024, "the daemon kept reading \(sent) bytes")
        print("flooder: \(sent) bytes sent before the daemon stopped reading")
        // Others are served meanwhile, and the daemon stays small.
        #expect(try facade.virsh("list", "--all", "--name").stdout.contains("kvm-a/web-01"))
        let status = try String(contentsOfFile: "/proc/\(facade.daemon.pid)/status", encoding: .utf8)
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        #expect(rss > 0 && rss < 300_000, "VmRSS \(rss) KiB")
        #expect(!facade.daemon.hasExited)
    }

    @Test func clientsPastTheLimitAreClosedAndTheOthersServed() throws {
        let facade = try LibvirtFacadeDaemon(backends: DaemonProtocolTests.demo, daemonExtra: "max_clients = 2")
        // The start-up probe's connection, and those of refused candidates, may still be
        // counted for a moment after they close: a place is taken once a client is answered.
        func admit() throws -> RawClient {
            for _ in 0..<50 {
                let candidate = try RawClient(facade.socket)
                if (try? candidate.send(Self.packet(procedure: 66, serial: 1))) != nil, candidate.receive()?.status == 0 {
                    try Self.connectOpen(candidate)
                    return candidate
                }
                usleep(100_000)
            }
            throw FleetError(message: "no client admitted in 5 s")
        }
        let first = try admit()
        let second = try admit()
        let third = try RawClient(facade.socket)
        #expect(third.line.isClosedByPeer())
        // The two admitted clients still work; once one leaves, a new one is admitted.
        try first.send(Self.packet(procedure: 59, serial: 3))
        #expect(first.receive()?.status == 0)
        Glibc.shutdown(second.line.descriptor, Int32(SHUT_RDWR))
        usleep(200_000)
        #expect(try facade.virsh("list", "--all", "--name").stdout.contains("kvm-a/web-01"))
    }
}
