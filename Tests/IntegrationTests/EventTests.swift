import Foundation
import Testing

/// The federated event stream and the inventory cache, through the real daemon: changes made
/// through virtfed and behind its back (virsh and python-libvirt on the same libvirtd, another
/// client on the Hyper-V simulator), a libvirtd restart, a subscriber that does not read.
@Suite("Events and the inventory cache through virtfedd", .serialized)
struct EventTests {
    /// Subscribes on a connection of its own and checks the answer.
    func subscribe(_ daemon: Daemon, _ params: String = "{}") throws -> LineClient {
        let client = try LineClient(path: daemon.socket)
        try client.send(#"{"jsonrpc":"2.0","method":"events.subscribe","params":\#(params),"id":1}"#)
        let answer = parse(try client.receive()) as? [String: Any]
        #expect((answer?["result"] as? [String: Any])?["subscription"] as? Int != nil, "\(String(describing: answer))")
        return client
    }

    /// The next notification's method and params (nil when none comes in time).
    func notification(_ client: LineClient, timeout: Double = 20) throws -> (method: String, params: [String: Any])? {
        guard let message = parse(try client.receive(timeout: timeout)) as? [String: Any],
              let method = message["method"] as? String, let params = message["params"] as? [String: Any] else { return nil }
        #expect(message["id"] == nil, "a notification has no id")
        return (method, params)
    }

    /// Reads notifications until one passes `match` (or time runs out).
    func waitFor(_ client: LineClient, timeout: Double = 20, _ match: ([String: Any], String) -> Bool) throws -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let (method, params) = try notification(client, timeout: deadline.timeIntervalSinceNow) else { return nil }
            if match(params, method) { return params }
        }
        return nil
    }

    @Test func changesThroughVirtfedAndBehindItsBackAreEvents() throws {
        let fleet = try LibvirtdFleet(instances: 1, domains: 2)
        let daemon = try Daemon(backends: [("lv", fleet.defaultURI(1), "poll_interval_ms = 300")])
        let subscriber = try subscribe(daemon, #"{"types":["suspended","resumed"]}"#)

        let through = try virtfed("-c", daemon.socket, "suspend", "lv/test")
        #expect(through.status == 0, "\(through)")
        let suspended = try notification(subscriber)
        #expect(suspended?.method == "event.domain")
        #expect(suspended?.params["domain"] as? String == "lv/test")
        #expect(suspended?.params["backend"] as? String == "lv")
        #expect(suspended?.params["type"] as? String == "suspended")
        #expect(suspended?.params["detail"] as? String == "paused")
        #expect((suspended?.params["uuid"] as? String)?.count == 36)

        // virsh on the same libvirtd, not through virtfed.
        let behind = try runCommand("/usr/bin/virsh", ["-c", fleet.defaultURI(1), "resume", "test"])
        #expect(behind.status == 0, "\(behind)")
        let resumed = try notification(subscriber)
        #expect(resumed?.params["type"] as? String == "resumed" && resumed?.params["domain"] as? String == "lv/test")

        // The cache saw it too, and says how old its answer is.
        let cached = try daemon.request("domains.list", #"{"all":true,"max_age_ms":60000}"#)
        let result = cached["result"] as? [String: Any]
        let freshness = (result?["freshness"] as? [[String: Any]])?.first
        #expect(freshness?["source"] as? String == "cache" && (freshness?["age_ms"] as? Int).map { $0 >= 0 && $0 < 60000 } == true)
        let test = (result?["domains"] as? [[String: Any]])?.first { $0["name"] as? String == "lv/test" }
        #expect(test?["state"] as? String == "running")
        // The CLI asks for the same with --max-age.
        let listed = try virtfed("-c", daemon.socket, "list", "--all", "--max-age", "60000", "--json")
        let json = try listed.json() as? [String: Any]
        #expect(((json?["freshness"] as? [[String: Any]])?.first)?["source"] as? String == "cache", "\(listed)")
        #expect((json?["domains"] as? [[String: Any]])?.contains { $0["name"] as? String == "lv/test" } == true)
        // Unsubscribing ends the stream; an unknown subscription is not_found.
        let gone = try daemon.request("events.unsubscribe", #"{"subscription":99999}"#)
        #expect(((gone["error"] as? [String: Any])?["data"] as? [String: Any])?["code"] as? String == "not_found")
    }

    @Test func subscriptionsSurviveALibvirtdRestartAndMissedChangesAreRecovered() throws {
        let fleet = try LibvirtdFleet(instances: 1, domains: 2)
        let daemon = try Daemon(backends: [("lv", fleet.defaultURI(1), "poll_interval_ms = 300\ntimeout_ms = 2000")])
        let subscriber = try subscribe(daemon)
        #expect(try runCommand("/usr/bin/virsh", ["-c", fleet.defaultURI(1), "suspend", "test"]).status == 0)
        #expect(try waitFor(subscriber) { params, _ in params["type"] as? String == "suspended" } != nil)

        try fleet.kill(1)
        let down = try waitFor(subscriber) { _, method in method == "event.backend" }
        #expect(down?["type"] as? String == "down" && down?["backend"] as? String == "lv")
        try fleet.restart(1)
        let up = try waitFor(subscriber, timeout: 30) { _, method in method == "event.backend" }
        #expect(up?["type"] as? String == "up")
        // The restarted host's `test` runs again: a change no event told, recovered by the re-read.
        let recovered = try waitFor(subscriber) { params, _ in params["domain"] as? String == "lv/test" }
        #expect(recovered?["type"] as? String == "resumed", "\(daemon.log.suffix(6000))")
        // Events flow again on the new session.
        #expect(try runCommand("/usr/bin/virsh", ["-c", fleet.defaultURI(1), "suspend", "test"]).status == 0)
        let after = try waitFor(subscriber) { params, _ in params["type"] as? String == "suspended" }
        #expect(after?["detail"] as? String == "paused", "\(daemon.log.suffix(3000))")
        #expect(!daemon.hasExited)
    }

    @Test func aSubscriberThatDoesNotReadIsBoundedAndToldWhatItLost() throws {
        let fleet = try LibvirtdFleet(instances: 1, domains: 2)
        let daemon = try Daemon(backends: [("lv", fleet.defaultURI(1), "poll_interval_ms = 60000")], daemonExtra: "event_queue_limit = 16")
        let slow = try subscribe(daemon)
        // 3,000 suspend/resume pairs through python-libvirt: 6,000 events, far more than the
        // socket buffers and the queue of 16 hold while `slow` reads nothing.
        let churn = try runCommand("/usr/bin/python3", [Paths.root.appendingPathComponent("Tests/IntegrationTests/Peers/libvirt_churn.py").path,
                                                          fleet.defaultURI(1), "test", "3000"], timeout: 120)
        #expect(churn.stdout.contains("done"), "\(churn)")
        #expect((try daemon.request("broker.ping"))["result"] != nil)
        var events = 0
        var lost = 0
        while let (method, params) = try notification(slow, timeout: 3) {
            if method == "event.lost" { lost += params["count"] as? Int ?? 0 } else { events += 1 }
        }
        #expect(lost > 0, "a subscriber that fell behind is told how many events it lost")
        #expect(events + lost == 6000, "every event is either delivered or counted as lost (\(events) + \(lost))")
        #expect(!daemon.hasExited)
    }

    @Test func hyperVChangesMadeDirectlyOnTheSimulatorAreEvents() throws {
        let simulator = try SimulatedHyperV()
        let daemon = try Daemon(backends: [("hv01", simulator.uri, simulator.backendExtra + "\npoll_interval_ms = 200")],
                                environment: simulator.environment)
        let subscriber = try subscribe(daemon, #"{"backends":["hv01"]}"#)
        // Another client talks to the simulator directly (an embedded broker), not through the daemon.
        let directory = try scratchDirectory("hvdirect")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try writeConfig(in: directory, [("hv01", simulator.uri, simulator.backendExtra)])
        let direct = try virtfed("--config", config, "suspend", "hv01/web-01", environment: simulator.environment)
        #expect(direct.status == 0, "\(direct)")
        let event = try waitFor(subscriber) { params, _ in params["domain"] as? String == "hv01/web-01" }
        #expect(event?["type"] as? String == "suspended" && event?["backend"] as? String == "hv01")
        #expect(event?["uuid"] as? String == "b3f1a2c4-6d7e-4f80-9a1b-2c3d4e5f6a7b")
    }

    @Test func theCLIPrintsEventsInVirshsWords() throws {
        let fleet = try LibvirtdFleet(instances: 1, domains: 2)
        let daemon = try Daemon(backends: [("lv", fleet.defaultURI(1), "")])
        let output = daemon.directory.appendingPathComponent("event.out").path
        let watcher = try spawn(Paths.virtfed, ["-c", daemon.socket, "event", "--loop", "--timeout", "4"],
                                environment: ProcessInfo.processInfo.environment, stdout: output, stderr: "/dev/null")
        usleep(500_000)
        #expect(try virtfed("-c", daemon.socket, "suspend", "lv/test").status == 0)
        #expect(try virtfed("-c", daemon.socket, "resume", "lv/test").status == 0)
        var status: Int32 = 0
        waitpid(watcher, &status, 0)
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(text.contains("event 'lifecycle' for domain 'lv/test': Suspended Paused\n"), "\(text)")
        #expect(text.contains("event 'lifecycle' for domain 'lv/test': Resumed Unpaused\n"), "\(text)")
        #expect(text.hasSuffix("event loop timed out\nevents received: 2\n"), "\(text)")
        // Without the daemon there is no event stream: a clear error, not a hang.
        let embedded = try virtfed("--config", Paths.demoConfig, "event", "--timeout", "1")
        #expect(embedded.status == 1 && embedded.stderr.contains("events need the daemon"), "\(embedded)")
    }
}
