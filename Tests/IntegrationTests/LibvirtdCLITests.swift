import Foundation
import Testing

/// The real `virtfed` binary against real libvirtd instances on Unix sockets and loopback TCP.
@Suite("virtfed against libvirtd", .serialized)
struct LibvirtdCLITests {
    @Test func listsBackendsOverUnixAndTCPAtOnce() throws {
        let fleet = try LibvirtdFleet(instances: 2, domains: 10)
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try writeConfig(in: dir, [("d1", fleet.unixURIs[0], ""), ("d2", fleet.tcpURIs[1], "")])
        let result = try virtfed("--config", config, "list", "--all", "--json")
        #expect(result.status == 0, "\(result)")
        let object = try #require(try result.json() as? [String: Any])
        let domains = try #require(object["domains"] as? [[String: Any]])
        #expect(domains.count == 20)
        #expect(Set(domains.compactMap { $0["backend"] as? String }) == ["d1", "d2"])
        #expect(domains.filter { $0["state"] as? String == "paused" }.count == 4)
        #expect(domains.filter { $0["state"] as? String == "shutoff" }.count == 4)
        #expect((object["errors"] as? [Any])?.isEmpty == true)
    }

    @Test func everyLifecycleActionThroughLibvirtdAgreesWithLibvirt() throws {
        let fleet = try LibvirtdFleet(instances: 1, domains: 1)
        let uri = fleet.defaultURI(1)
        // python-libvirt keeps the daemon's shared default host alive between CLI processes.
        let peer = try HeldConnection(uri: uri)
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try writeConfig(in: dir, [("lab", uri, "")])

        // Each action, then the state virtfed reports, then what libvirt itself says.
        let steps: [(verb: String, word: String, libvirtState: Int, managedSave: Bool)] = [
            ("suspend", "paused", 3, false), ("resume", "running", 1, false), ("reboot", "running", 1, false),
            ("reset", "running", 1, false), ("shutdown", "shut off", 5, false), ("start", "running", 1, false),
            ("save", "saved", 5, true), ("start", "running", 1, false), ("destroy", "shut off", 5, false),
        ]
        for step in steps {
            let action = try virtfed("--config", config, step.verb, "lab/test")
            #expect(action.status == 0, "\(step.verb): \(action)")
            #expect(action.stdout.hasPrefix("Domain 'lab/test' "))
            let state = try virtfed("--config", config, "domstate", "test")
            #expect(state.stdout == "\(step.word)\n\n", "after \(step.verb)")
            let truth = try peer.state(of: "test")
            #expect(truth.state == step.libvirtState, "after \(step.verb)")
            #expect(truth.managedSave == step.managedSave, "after \(step.verb)")
        }
        let wrong = try virtfed("--config", config, "destroy", "test")
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("error: backend lab:"))
        let xml = try virtfed("--config", config, "dumpxml", "lab/test")
        #expect(xml.stdout.contains("<name>test</name>"))
        _ = try virtfed("--config", config, "start", "test")
    }

    @Test func aKilledDaemonGivesAPartialResultThenRecovers() throws {
        let fleet = try LibvirtdFleet(instances: 2, domains: 5)
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try writeConfig(in: dir, [("d1", fleet.unixURIs[0], ""), ("d2", fleet.unixURIs[1], "")])
        #expect(try virtfed("--config", config, "list", "--all").status == 0)

        try fleet.kill(2)
        let partial = try virtfed("--config", config, "list", "--all", "--json")
        #expect(partial.status == 2, "\(partial)")
        let object = try #require(try partial.json() as? [String: Any])
        #expect((object["domains"] as? [Any])?.count == 5)
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.count == 1)
        #expect(errors.first?["backend"] as? String == "d2")
        #expect(errors.first?["code"] as? String == "backend_unavailable")
        #expect((errors.first?["message"] as? String)?.isEmpty == false)

        let table = try virtfed("--config", config, "list", "--all")
        #expect(table.status == 2)
        #expect(table.stderr.hasPrefix("warning: backend d2: "))
        #expect(table.stdout.contains("d1/h1-vm-001"))

        let backends = try virtfed("--config", config, "backends", "--json")
        let statuses = try #require(try backends.json() as? [[String: Any]]).map { $0["status"] as? String }
        #expect(statuses == ["up", "down"])

        try fleet.restart(2)
        let back = try virtfed("--config", config, "list", "--all", "--json")
        #expect(back.status == 0, "\(back)")
        #expect(((try back.json() as? [String: Any])?["domains"] as? [Any])?.count == 10)
    }

    @Test func aBackendThatNeverAnswersIsCutOffAtItsDeadline() throws {
        let silent = try SilentListener()
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try writeConfig(in: dir, [
            ("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", ""),
            ("mute", "test+tcp://127.0.0.1:\(silent.port)/default", "timeout_ms = 700"),
        ])
        let started = Date()
        let result = try virtfed("--config", config, "list", "--all", "--json", timeout: 30)
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 2, "\(result)")
        let object = try #require(try result.json() as? [String: Any])
        #expect((object["domains"] as? [Any])?.count == 8)
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.first?["backend"] as? String == "mute")
        #expect(errors.first?["code"] as? String == "timeout")
        #expect(errors.first?["message"] as? String == "backend mute did not answer within 700 ms")
        // Behaviour, not speed: the CLI came back on its own rather than being killed at 30 s.
        #expect(elapsed < 25)
    }

    @Test func aRefusedPortIsBackendUnavailable() throws {
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try writeConfig(in: dir, [("closed", "test+tcp://127.0.0.1:1/default", "")])
        let result = try virtfed("--config", config, "list", "--json")
        #expect(result.status == 2)
        let errors = try #require((try result.json() as? [String: Any])?["errors"] as? [[String: Any]])
        #expect(errors.first?["code"] as? String == "backend_unavailable")
        #expect((errors.first?["message"] as? String)?.contains("127.0.0.1") == true)
    }
}
