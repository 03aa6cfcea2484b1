import Foundation
import Testing

/// Bad clients and bad backends: the daemon answers with typed errors, keeps serving
/// everyone else, and never crashes.
@Suite("virtfedd under faults", .serialized)
struct DaemonFaultTests {
    @Test func malformedTruncatedAndOversizeInput() throws {
        let daemon = try Daemon(backends: DaemonProtocolTests.demo, daemonExtra: "max_message_bytes = 4096")
        let client = try LineClient(path: daemon.socket)
        for garbage in ["{", "}", "nul", "{\"jsonrpc\":\"2.0\",\"method\":\"broker.ping\",\"id\":1", "\u{FEFF}[{]"] {
            try client.send(garbage)
            let answer = parse(try client.receive()) as? [String: Any]
            #expect((answer?["error"] as? [String: Any])?["code"] as? Int == -32700, "\(garbage)")
        }
        // JSON, but not a request: invalid request, not a parse error.
        try client.send("\"just a string\"")
        #expect(((parse(try client.receive()) as? [String: Any])?["error"] as? [String: Any])?["code"] as? Int == -32600)
        try client.sendBytes([0xff, 0xfe, 0x00, 0x7b, 0x0a])
        #expect(((parse(try client.receive()) as? [String: Any])?["error"] as? [String: Any])?["code"] as? Int == -32700)
        // The connection still works after all that.
        try client.send(#"{"jsonrpc":"2.0","method":"broker.ping","id":2}"#)
        #expect((parse(try client.receive()) as? [String: Any])?["result"] != nil)

        // Over the limit: an error, then the connection is closed; others are untouched.
        let big = try LineClient(path: daemon.socket)
        try big.send(#"{"jsonrpc":"2.0","method":"broker.ping","params":{"pad":""# + String(repeating: "x", count: 10_000) + #""},"id":3}"#)
        let refusal = parse(try big.receive()) as? [String: Any]
        #expect((refusal?["error"] as? [String: Any])?["code"] as? Int == -32600)
        #expect(((refusal?["error"] as? [String: Any])?["message"] as? String)?.contains("4096") == true)
        #expect(big.isClosedByPeer())
        // Without a newline at all, the limit still holds.
        let endless = try LineClient(path: daemon.socket)
        try endless.sendBytes([UInt8](repeating: UInt8(ascii: "["), count: 8192))
        #expect(((parse(try endless.receive()) as? [String: Any])?["error"] as? [String: Any])?["code"] as? Int == -32600)
        #expect(endless.isClosedByPeer())
        #expect((try daemon.request("broker.ping"))["result"] != nil)
        // A truncated message from a client that closes its side is still answered.
        let half = try LineClient(path: daemon.socket)
        try half.send(#"{"jsonrpc":"2.0","method":"broker.ping","id":4}"#, newline: false)
        shutdown(half.descriptor, Int32(SHUT_WR))
        #expect((parse(try half.receive()) as? [String: Any])?["id"] as? Int == 4)
        #expect(!daemon.hasExited)
    }

    @Test func twoHundredConcurrentClients() throws {
        let daemon = try Daemon(backends: DaemonProtocolTests.demo)
        // All 200 connected at once, all with a call outstanding, before any answer is read.
        let clients = try (0..<200).map { _ in try LineClient(path: daemon.socket) }
        for (index, client) in clients.enumerated() {
            let method = index % 4 == 0 ? "domains.list" : "broker.ping"
            try client.send(#"{"jsonrpc":"2.0","method":"\#(method)","id":\#(index)}"#)
        }
        let answered = Counter()
        for (index, client) in clients.enumerated() {
            if let answer = parse(try client.receive(timeout: 60)) as? [String: Any], answer["id"] as? Int == index, answer["result"] != nil {
                answered.increment()
            }
        }
        #expect(answered.value == 200)
    }

    @Test func tooManyClientsAreToldSoAndOthersKeepWorking() throws {
        let daemon = try Daemon(backends: DaemonProtocolTests.demo, daemonExtra: "max_clients = 3")
        // The readiness probes' connections, and those of refused candidates, may still be
        // counted for a moment after they close: a place is taken once a client is answered.
        func admit() throws -> LineClient {
            for _ in 0..<50 {
                let candidate = try LineClient(path: daemon.socket)
                try candidate.send(#"{"jsonrpc":"2.0","method":"broker.ping","id":1}"#)
                if let answer = try candidate.receive(), answer.contains(#""result""#) { return candidate }
                usleep(100_000)
            }
            throw FleetError(message: "no client admitted in 5 s")
        }
        let held = try (0..<3).map { _ in try admit() }
        let extra = try LineClient(path: daemon.socket)
        let busy = parse(try extra.receive()) as? [String: Any]
        #expect(((busy?["error"] as? [String: Any])?["message"] as? String)?.contains("more than 3 clients") == true)
        #expect(extra.isClosedByPeer())
        try held[0].send(#"{"jsonrpc":"2.0","method":"broker.ping","id":2}"#)
        #expect(try held[0].receive() != nil)
    }

    @Test func aClientThatNeverReadsAffectsNoOneElse() throws {
        let daemon = try Daemon(backends: DaemonProtocolTests.demo)
        let hog = try LineClient(path: daemon.socket)
        var size: Int32 = 4096
        setsockopt(hog.descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        // Thousands of big answers it never reads; its writes stall, the daemon stops reading it.
        let request = Array(#"{"jsonrpc":"2.0","method":"domains.list","params":{"all":true},"id":1}"#.utf8) + [10]
        var flags = fcntl(hog.descriptor, F_GETFL)
        flags |= O_NONBLOCK
        _ = fcntl(hog.descriptor, F_SETFL, flags)
        var sent = 0
        for _ in 0..<5000 {
            let written = request.withUnsafeBytes { Glibc.send(hog.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { break }
            sent += 1
        }
        #expect(sent > 10)
        // Everyone else is served, promptly and correctly.
        for id in 0..<20 {
            let answer = try daemon.request("domains.list", #"{"all":true}"#, id: id)
            #expect(((answer["result"] as? [String: Any])?["domains"] as? [Any])?.count == 13)
        }
        #expect(!daemon.hasExited)
    }

    @Test func aKilledLibvirtdGivesErrorsForItAloneThenRecoversWithoutARestart() throws {
        let fleet = try LibvirtdFleet(instances: 2, domains: 4)
        let daemon = try Daemon(backends: [("d1", fleet.unixURIs[0], ""), ("d2", fleet.unixURIs[1], "")])
        func listing() throws -> (count: Int, errors: [[String: Any]]) {
            let result = try daemon.request("domains.list", #"{"all":true}"#)["result"] as? [String: Any]
            return (((result?["domains"] as? [Any])?.count ?? -1), (result?["errors"] as? [[String: Any]]) ?? [])
        }
        #expect(try listing().count == 8)
        try fleet.kill(2)
        // Clients keep calling while it is down: d1 answers, d2 is an error entry.
        for _ in 0..<5 {
            let (count, errors) = try listing()
            #expect(count == 4)
            #expect(errors.map { $0["backend"] as? String } == ["d2"])
            #expect(errors.first?["code"] as? String == "backend_unavailable")
        }
        let status = try daemon.request("backends.list")["result"] as? [[String: Any]]
        #expect(status?.map { $0["status"] as? String } == ["up", "down"])
        try fleet.restart(2)
        // Back without restarting the daemon: the health loop (or the next call) reconnects.
        var recovered = false
        for _ in 0..<150 where !recovered {
            recovered = try listing().count == 8
            if !recovered { usleep(100_000) }
        }
        #expect(recovered)
        #expect(!daemon.hasExited)
    }

    @Test func sigtermFinishesCallsInFlightThenExitsCleanly() throws {
        let silent = try SilentListener()
        let daemon = try Daemon(backends: DaemonProtocolTests.demo + [("mute", "test+tcp://127.0.0.1:\(silent.port)/default", "timeout_ms = 1500")])
        let client = try LineClient(path: daemon.socket)
        try client.send(#"{"jsonrpc":"2.0","method":"domains.list","id":"inflight"}"#)
        usleep(200_000)
        daemon.signal(SIGTERM)
        let answer = parse(try client.receive(timeout: 30)) as? [String: Any]
        #expect(answer?["id"] as? String == "inflight")
        #expect(((answer?["result"] as? [String: Any])?["domains"] as? [Any])?.count == 10)
        #expect(daemon.waitForExit(seconds: 30) == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socket))
        #expect(!FileManager.default.fileExists(atPath: daemon.readonlySocket))
    }

    @Test func aReloadWhileAListingWaitsForABackendIsTheNextListingsConcern() throws {
        // A listing waits 1.5 s for the silent backend; meanwhile a reload drops two backends.
        // (It once read the new, shorter backend list with the old one's indices and crashed.)
        let silent = try SilentListener()
        let daemon = try Daemon(backends: DaemonProtocolTests.demo + [("mute", "test+tcp://127.0.0.1:\(silent.port)/default", "timeout_ms = 1500")])
        let client = try LineClient(path: daemon.socket)
        try client.send(#"{"jsonrpc":"2.0","method":"domains.list","id":"waiting"}"#)
        usleep(300_000)
        try Daemon.writeConfig(daemon.configPath, directory: daemon.directory, backends: [("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", "")],
                               daemonExtra: "")
        daemon.signal(SIGHUP)
        let answer = parse(try client.receive(timeout: 30)) as? [String: Any]
        #expect(answer?["id"] as? String == "waiting" && answer?["result"] != nil, "\(String(describing: answer))\n\(daemon.log.suffix(3000))")
        #expect(!daemon.hasExited)
        var names: [String] = []
        for _ in 0..<100 where names != ["kvm-a"] {
            usleep(50_000)
            names = (try daemon.request("backends.list")["result"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        }
        #expect(names == ["kvm-a"])
        let listed = try daemon.request("domains.list", #"{"all":true}"#)["result"] as? [String: Any]
        #expect(((listed?["domains"] as? [[String: Any]]) ?? []).allSatisfy { ($0["name"] as? String)?.hasPrefix("kvm-a/") == true })
    }

    @Test func sighupAppliesAGoodConfigAndRefusesABrokenOne() throws {
        let daemon = try Daemon(backends: [("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", ""), ("kvm-b", "test://\(Paths.hosts)/kvm-b.xml", "")])
        // State held by kvm-a's session: it survives a reload only if the session is kept.
        _ = try daemon.request("domain.suspend", #"{"domain":"kvm-a/web-01"}"#)
        try Daemon.writeConfig(daemon.configPath, directory: daemon.directory, backends: [
            ("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", ""), ("kvm-c", "test://\(Paths.hosts)/kvm-c.xml", ""),
        ], daemonExtra: "")
        daemon.signal(SIGHUP)
        var names: [String] = []
        for _ in 0..<100 where names != ["kvm-a", "kvm-c"] {
            usleep(50_000)
            names = (try daemon.request("backends.list")["result"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        }
        #expect(names == ["kvm-a", "kvm-c"])
        let kept = try daemon.request("domain.get", #"{"domain":"kvm-a/web-01"}"#)["result"] as? [String: Any]
        #expect(kept?["state"] as? String == "paused")

        try "[[backends]]\nname = \"Bad Name\"\n".write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        var refused = false
        for _ in 0..<100 where !refused {
            usleep(50_000)
            refused = daemon.log.contains("reload refused")
        }
        #expect(refused)
        let still = (try daemon.request("backends.list")["result"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(still == ["kvm-a", "kvm-c"])
        #expect(!daemon.hasExited)
    }

    @Test func aBoundedFuzzRunLeavesTheDaemonAnswering() throws {
        let daemon = try Daemon(backends: DaemonProtocolTests.demo, daemonExtra: "max_message_bytes = 65536")
        let seeds = [
            #"{"jsonrpc":"2.0","method":"domains.list","params":{"all":true},"id":1}"#,
            #"[{"jsonrpc":"2.0","method":"broker.ping","id":1},{"jsonrpc":"2.0","method":"domain.get","params":{"domain":"web-01"},"id":2}]"#,
            #"{"jsonrpc":"2.0","method":"domain.xml","params":{"domain":"kvm-b/web-03"},"id":"x"}"#,
            #"{"jsonrpc":"2.0","method":"node.info","params":{"backend":"kvm-a"},"id":null}"#,
        ]
        var generator = SystemRandomNumberGenerator()
        let deadline = Date().addingTimeInterval(3)
        var messages = 0
        while Date() < deadline {
            guard let client = try? LineClient(path: daemon.socket) else { continue }
            for _ in 0..<50 {
                var bytes = Array(seeds.randomElement(using: &generator)!.utf8)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes = (0..<Int.random(in: 1..<300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                case 1: for _ in 0..<Int.random(in: 1..<8, using: &generator) { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
                case 2: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
                default: bytes.insert(contentsOf: bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)), at: Int.random(in: 0..<bytes.count, using: &generator))
                }
                bytes.removeAll { $0 == 10 }
                try? client.sendBytes(bytes + [10])
                messages += 1
            }
        }
        #expect(messages > 100)
        #expect(!daemon.hasExited)
        #expect((try daemon.request("broker.ping"))["result"] != nil)
    }

    @Test func theInFlightLimitQueuesCallsAndAClientLeavingMidCallHarmsNoOne() throws {
        let silent = try SilentListener()
        let daemon = try Daemon(backends: DaemonProtocolTests.demo + [("mute", "test+tcp://127.0.0.1:\(silent.port)/default", "timeout_ms = 800")],
                                daemonExtra: "max_in_flight = 1")
        // With one call in flight allowed, the fast call waits for the slow one.
        let client = try LineClient(path: daemon.socket)
        try client.send(#"{"jsonrpc":"2.0","method":"domains.list","id":"slow"}"#)
        try client.send(#"{"jsonrpc":"2.0","method":"broker.ping","id":"fast"}"#)
        #expect((parse(try client.receive()) as? [String: Any])?["id"] as? String == "slow")
        #expect((parse(try client.receive()) as? [String: Any])?["id"] as? String == "fast")
        // A client that leaves with a call in flight: nothing breaks, others are served.
        for _ in 0..<5 {
            let leaver = try LineClient(path: daemon.socket)
            try leaver.send(#"{"jsonrpc":"2.0","method":"domains.list","id":1}"#)
        }
        #expect((try daemon.request("broker.ping"))["result"] != nil)
        usleep(1_200_000)
        #expect((try daemon.request("domain.get", #"{"domain":"web-01"}"#))["result"] != nil)
        #expect(!daemon.hasExited)
    }

    @Test func idleClientsAreDisconnected() throws {
        let daemon = try Daemon(backends: DaemonProtocolTests.demo, daemonExtra: "idle_timeout_ms = 300")
        let idle = try LineClient(path: daemon.socket)
        let talker = try LineClient(path: daemon.socket)
        try idle.send(#"{"jsonrpc":"2.0","method":"broker.ping","id":1}"#)
        #expect(try idle.receive() != nil)
        // Not before its timeout runs out.
        #expect(!idle.isClosedByPeer(timeout: 0.15))
        // A client that keeps talking, a line every 100 ms for four timeouts, stays connected;
        // meanwhile the idle one is closed.
        for id in 1...12 {
            try talker.send(#"{"jsonrpc":"2.0","method":"broker.ping","id":\#(id)}"#)
            #expect(try talker.receive()?.contains(#""id":\#(id)"#) == true)
            usleep(100_000)
        }
        #expect(idle.isClosedByPeer(timeout: 0.1))
        // Once quiet, it goes the same way.
        #expect(talker.isClosedByPeer(timeout: 5))
    }
}

/// A thread-safe counter for the concurrency tests.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}