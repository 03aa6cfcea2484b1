import Foundation
import Testing

/// The real `virtfed` binary on the demo configuration (three in-process test-driver hosts).
@Suite("virtfed on the demo federation")
struct DemoCLITests {
    @Test func listAllIsOneVirshStyleTableWithTheMergedVMOnce() throws {
        let result = try virtfed("--config", Paths.demoConfig, "list", "--all")
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == " Id   Name                      State         Backend       Host")
        #expect(lines[1] == String(repeating: "-", count: 67))
        #expect(lines.contains(" 6    kvm-a/shared-storage-vm   running       kvm-a,kvm-b   kvm-a"))
        #expect(lines.contains(" -    kvm-a/legacy-erp          saved         kvm-a         kvm-a"))
        #expect(lines.contains(" -    kvm-b/test-sandbox        shut off      kvm-b         kvm-b"))
        #expect(lines.contains(" 3    kvm-c/k8s-worker-02       pmsuspended   kvm-c         kvm-c"))
        #expect(lines.filter { $0.contains("shared-storage-vm") }.count == 1)
        // 8 + 6 + 5 VMs, one of them on two hosts: 18 rows, then virsh's blank line.
        #expect(lines.count == 2 + 18 + 2)
        #expect(result.stderr.isEmpty)
    }

    @Test func listWithoutAllShowsActiveOnesAndFiltersCombine() throws {
        let active = try virtfed("--config", Paths.demoConfig, "list", "--json")
        let domains = try #require((try active.json() as? [String: Any])?["domains"] as? [[String: Any]])
        #expect(domains.count == 14)
        #expect(domains.allSatisfy { ($0["id"] as? Int) != nil })
        let filtered = try virtfed("list", "--config", Paths.demoConfig, "--backend", "kvm-b", "--state", "shutoff", "--name", "*sandbox*", "--json")
        let names = ((try filtered.json() as? [String: Any])?["domains"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["kvm-b/test-sandbox"])
        let bad = try virtfed("--config", Paths.demoConfig, "list", "--state", "sideways")
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("error: unknown state 'sideways'"))
    }

    @Test func jsonContractHasEveryKeyAndRoutes() throws {
        let result = try virtfed("--config", Paths.demoConfig, "list", "--all", "--json")
        #expect(result.status == 0)
        let object = try #require(try result.json() as? [String: Any])
        #expect((object["errors"] as? [Any])?.isEmpty == true)
        let domains = try #require(object["domains"] as? [[String: Any]])
        let keys: Set<String> = ["name", "backend", "host", "uuid", "id", "state", "backend_state", "vcpus", "memory_kib", "max_memory_kib", "routes"]
        for domain in domains { #expect(keys.isSubset(of: Set(domain.keys)), "\(domain)") }
        let shared = try #require(domains.first { ($0["uuid"] as? String) == "5a5a5a5a-5a5a-4a5a-8a5a-5a5a5a5a0001" })
        #expect(shared["routes"] as? [String] == ["kvm-a", "kvm-b"])
        #expect(shared["state"] as? String == "running")
        let saved = try #require(domains.first { ($0["name"] as? String) == "kvm-a/legacy-erp" })
        #expect(saved["id"] is NSNull)
        #expect(saved["state"] as? String == "saved")
        #expect(saved["backend_state"] as? String == "VIR_DOMAIN_SHUTOFF")
    }

    @Test func dominfoDomstateDumpxmlNodeinfoHostsBackends() throws {
        let info = try virtfed("--config", Paths.demoConfig, "dominfo", "kvm-b/shared-storage-vm")
        #expect(info.status == 0)
        #expect(info.stdout.contains("Name:           kvm-a/shared-storage-vm\n"))
        #expect(info.stdout.contains("Routes:         kvm-a, kvm-b\n"))
        #expect(info.stdout.contains("UUID:           5a5a5a5a-5a5a-4a5a-8a5a-5a5a5a5a0001\n"))

        let state = try virtfed("--config", Paths.demoConfig, "domstate", "--reason", "cache-redis")
        #expect(state.stdout == "paused (unknown)\n\n")

        let xml = try virtfed("--config", Paths.demoConfig, "dumpxml", "aaaa0001-0a0a-4a0a-8a0a-00000000a001")
        #expect(xml.stdout.contains("<name>web-01</name>"))

        let node = try virtfed("--config", Paths.demoConfig, "nodeinfo", "kvm-c", "--json")
        let nodeObject = try #require(try node.json() as? [String: Any])
        #expect((nodeObject["node"] as? [String: Any])?["cpus"] as? Int == 48)

        let hosts = try virtfed("--config", Paths.demoConfig, "hosts")
        #expect(hosts.stdout.contains(" kvm-c     kvm-c   TEST         0.0.2     up"))

        let backends = try virtfed("--config", Paths.demoConfig, "backends", "--json")
        let list = try #require(try backends.json() as? [[String: Any]])
        #expect(list.map { $0["name"] as? String } == ["kvm-a", "kvm-b", "kvm-c"])
        #expect(list.allSatisfy { $0["status"] as? String == "up" && $0["plugin"] as? String == "libvirt" })
        #expect(Set(list[0].keys) == ["name", "plugin", "status", "error", "uri", "scheme", "transport", "user", "host", "port", "path", "params"])
    }

    @Test func lookupErrorsAreClearAndExitOne() throws {
        let missing = try virtfed("--config", Paths.demoConfig, "dominfo", "nope")
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: domain not found: nope\n")
        #expect(missing.stdout.isEmpty)
        // No config and no daemon: it says so, and how to start one.
        let noDaemon = try virtfed("-c", "/tmp/vf-no-such-dir/virtfed.sock", "list")
        #expect(noDaemon.status == 1)
        #expect(noDaemon.stderr.contains("no virtfedd is listening on /tmp/vf-no-such-dir/virtfed.sock"))
        #expect(noDaemon.stderr.contains("virtfedd --config FILE"))
    }

    @Test func actionsReportTheirOutcome() throws {
        let result = try virtfed("--config", Paths.demoConfig, "suspend", "web-01", "--json")
        #expect(result.status == 0, "\(result)")
        let object = try #require(try result.json() as? [String: Any])
        #expect(object["route"] as? String == "kvm-a")
        #expect((object["job"] as? [String: Any])?["resulting_state"] as? String == "paused")
        let start = try virtfed("--config", Paths.demoConfig, "start", "web-01")
        #expect(start.status == 1)
        #expect(start.stderr.contains("backend kvm-a:"))
        #expect(start.stderr.contains("already running"))
    }
}

@Suite("virtfed config check")
struct ConfigCheckTests {
    @Test func theDemoConfigIsValidAndJSONHasNoStatus() throws {
        let plain = try virtfed("--config", Paths.demoConfig, "config", "check")
        #expect(plain.status == 0)
        #expect(plain.stdout.hasSuffix("valid, 3 backends\n"))
        let json = try virtfed("config", "check", "--config", Paths.demoConfig, "--json")
        let list = try #require(try json.json() as? [[String: Any]])
        #expect(list.count == 3)
        #expect(list.allSatisfy { $0["status"] == nil && $0["scheme"] as? String == "test" && $0["port"] as? Int == 0 })
    }

    @Test func aWorldReadablePasswordFileIsWarnedAboutByTheCLIAndTheDaemon() throws {
        let dir = try scratchDirectory("pwmode")
        defer { try? FileManager.default.removeItem(at: dir) }
        let secret = dir.appendingPathComponent("kvm-a.secret").path
        try "not-a-real-password\n".write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o644)
        let extra = "username = \"admin\"\npassword_file = \"\(secret)\""
        let path = dir.appendingPathComponent("virtfed.toml").path
        try Daemon.writeConfig(path, directory: dir, backends: [("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", extra)], daemonExtra: "")
        let check = try virtfed("--config", path, "config", "check")
        #expect(check.status == 0, "\(check)")
        #expect(check.stderr.contains("warning: \(path):"), "\(check)")
        #expect(check.stderr.contains("backends[0].password_file: password file \(secret) is readable by everyone (mode 644); chmod 600 it"), "\(check)")
        #expect(!check.stderr.contains("not-a-real-password") && !check.stdout.contains("not-a-real-password"))

        let daemon = try Daemon(backends: [("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", extra)])
        #expect(daemon.log.contains("is readable by everyone (mode 644); chmod 600 it"), "\(daemon.log)")
        #expect(!daemon.log.contains("not-a-real-password"))
    }

    @Test func problemsNameFileLineAndKeyAndConnectNothing() throws {
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.toml").path
        try """
            [[backends]]
            name = "good"
            uri = "qemu+ssh://root@127.0.0.1:1/system?keyfile=/k&no_verify=1;x=y"

            [[backends]]
            name = "good"
            uri = "nosuch://h/"
            flavour = 1
            password_file = "/nonexistent"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try virtfed("--config", path, "config", "check")
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("error: \(path):8: backends[1].flavour: unknown key; known keys: ca_file, client_cert, client_key, client_keytab, max_concurrency, name, password_env, password_file, poll_interval_ms, site, timeout_ms, uri, username"))
        #expect(lines.contains { $0.hasPrefix("error: \(path):7: backends[1].uri: no plugin owns the URI scheme 'nosuch'; known schemes: ") })
        #expect(lines.contains("error: \(path):9: backends[1].password_file: password file /nonexistent: No such file or directory"))
        // The duplicate name is reported only once the entry is otherwise valid.
        #expect(lines.count == 3)
    }

    @Test func jsonShowsTheParsedURI() throws {
        let dir = try scratchDirectory("cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try writeConfig(in: dir, [("k1", "qemu+ssh://root@[::1]:2222/system?keyfile=/k&no_verify=1;x=y", "")])
        let result = try virtfed("--config", path, "config", "check", "--json")
        #expect(result.status == 0, "\(result)")
        let entry = try #require((try result.json() as? [[String: Any]])?.first)
        #expect(entry["scheme"] as? String == "qemu+ssh")
        #expect(entry["transport"] as? String == "ssh")
        #expect(entry["user"] as? String == "root")
        #expect(entry["host"] as? String == "::1")
        #expect(entry["port"] as? Int == 2222)
        #expect(entry["path"] as? String == "/system")
        // libvirt splits on ';' only where no '&' is left: three params here.
        #expect(entry["params"] as? [[String]] == [["keyfile", "/k"], ["no_verify", "1"], ["x", "y"]])
        #expect(entry["uri"] as? String == "qemu+ssh://root@[::1]:2222/system?keyfile=%2Fk&no_verify=1&x=y")
    }
}
