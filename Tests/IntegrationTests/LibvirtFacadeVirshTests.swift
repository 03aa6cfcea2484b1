import Foundation
import Testing

/// Debian's own `virsh`, unmodified, against virtfedd's libvirt-protocol socket.
@Suite("libvirt facade: virsh", .serialized)
struct LibvirtFacadeVirshTests {
    static let backends = DaemonProtocolTests.demo

    /// `virsh list --all` rows: [id, name, state].
    func rows(_ output: String) -> [[String]] {
        output.split(separator: "\n").map { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            return [fields[0], fields[1], fields.dropFirst(2).joined(separator: " ")]
        }
    }

    @Test func listShowsTheWholeFederationWithUniqueIDs() throws {
        let facade = try LibvirtFacadeDaemon(backends: Self.backends)
        let list = try facade.virsh("list", "--all")
        #expect(list.status == 0, "\(list)")
        let table = rows(list.stdout)
        let names = Set(table.map { $0[1] })
        for name in ["kvm-a/web-01", "kvm-a/cache-redis", "kvm-a/build-runner", "kvm-b/web-03", "kvm-b/test-sandbox"] {
            #expect(names.contains(name), "\(name) in\n\(list.stdout)")
        }
        // The VM defined on both hosts (same UUID) is one entry.
        #expect(table.filter { $0[1].hasSuffix("/shared-storage-vm") }.count == 1)
        // Running VMs have ids unique across the federation; inactive ones show "-".
        let running = table.filter { $0[0] != "-" }
        let ids = running.map { $0[0] }
        #expect(ids.count == 10 && Set(ids).count == ids.count && ids.allSatisfy { Int($0) ?? 0 > 0 }, "\(list.stdout)")
        #expect(table.filter { $0[2] == "running" || $0[2] == "paused" }.allSatisfy { $0[0] != "-" })
        #expect(table.first { $0[1] == "kvm-a/cache-redis" }?[2] == "paused")
        #expect(table.first { $0[1] == "kvm-a/build-runner" }?[2] == "shut off")
        #expect(table.first { $0[1] == "kvm-a/build-runner" }?[0] == "-")

        // The same names through the JSON-RPC door.
        let json = try facade.daemon.request("domains.list", #"{"all":true}"#)
        let fromJSON = Set(((json["result"] as? [String: Any])?["domains"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(fromJSON == names)

        // Only active ones without --all; the old list calls give the same view.
        let active = try facade.virsh("list")
        #expect(Set(rows(active.stdout).map { $0[1] }) == Set(running.map { $0[1] }))
        let names2 = try facade.virsh("list", "--all", "--name")
        #expect(Set(names2.stdout.split(separator: "\n").map(String.init)) == names)
    }

    @Test func dominfoDomstateAndTheIdentityCommands() throws {
        let facade = try LibvirtFacadeDaemon(backends: Self.backends)
        let info = try facade.virsh("dominfo", "kvm-a/web-01")
        #expect(info.status == 0, "\(info)")
        let fields = Dictionary(info.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]).trimmingCharacters(in: .whitespaces), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }, uniquingKeysWith: { first, _ in first })
        let record = try #require((try facade.daemon.request("domain.get", #"{"domain":"kvm-a/web-01"}"#))["result"] as? [String: Any])
        #expect(fields["Name"] == "kvm-a/web-01")
        #expect(fields["UUID"] == record["uuid"] as? String)
        #expect(fields["OS Type"] == "hvm")
        #expect(fields["State"] == "running")
        #expect(fields["CPU(s)"] == "\(record["vcpus"] as? Int ?? -1)")
        #expect(fields["Max memory"] == "\(record["max_memory_kib"] as? Int ?? -1) KiB")
        #expect(fields["Used memory"] == "\(record["memory_kib"] as? Int ?? -1) KiB")
        #expect(fields["Persistent"] == "yes")
        let id = try #require(fields["Id"])

        // domid / domname / domuuid agree with each other and with dominfo.
        #expect(try facade.virsh("domid", "kvm-a/web-01").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == id)
        #expect(try facade.virsh("domname", id).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "kvm-a/web-01")
        #expect(try facade.virsh("domuuid", "kvm-a/web-01").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == record["uuid"] as? String)
        #expect(try facade.virsh("domname", record["uuid"] as! String).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "kvm-a/web-01")
        #expect(try facade.virsh("domid", "kvm-a/build-runner").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "-")

        // States with libvirt's reasons.
        #expect(try facade.virsh("domstate", "kvm-a/cache-redis").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "paused")
        let reason = try facade.virsh("domstate", "--reason", "kvm-a/web-01")
        #expect(reason.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "running (\(record["reason"] as? String ?? "?"))", "\(reason)")

        // An unknown name is libvirt's own error.
        let missing = try facade.virsh("dominfo", "no-such-vm")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("failed to get domain 'no-such-vm'"), "\(missing)")
    }

    @Test func lifecycleCommandsChangeTheBackendsVMs() throws {
        let facade = try LibvirtFacadeDaemon(backends: Self.backends)
        func state(_ name: String) throws -> String {
            try facade.virsh("domstate", name).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func backendState(_ name: String) throws -> String? {
            ((try facade.daemon.request("domain.get", #"{"domain":"\#(name)"}"#))["result"] as? [String: Any])?["state"] as? String
        }
        let start = try facade.virsh("start", "kvm-a/build-runner")
        #expect(start.status == 0, "\(start)")
        #expect(try state("kvm-a/build-runner") == "running")
        #expect(try backendState("kvm-a/build-runner") == "running")
        #expect(try facade.virsh("domid", "kvm-a/build-runner").stdout.trimmingCharacters(in: .whitespacesAndNewlines) != "-")

        #expect(try facade.virsh("suspend", "kvm-a/build-runner").status == 0)
        #expect(try state("kvm-a/build-runner") == "paused")
        #expect(try facade.virsh("resume", "kvm-a/build-runner").status == 0)
        #expect(try state("kvm-a/build-runner") == "running")
        #expect(try facade.virsh("reboot", "kvm-a/build-runner").status == 0)
        #expect(try facade.virsh("reset", "kvm-a/build-runner").status == 0)
        #expect(try state("kvm-a/build-runner") == "running")
        #expect(try facade.virsh("shutdown", "kvm-a/build-runner").status == 0)
        #expect(try state("kvm-a/build-runner") == "shut off")
        #expect(try facade.virsh("start", "kvm-a/build-runner").status == 0)
        let destroy = try facade.virsh("destroy", "kvm-a/build-runner")
        #expect(destroy.status == 0, "\(destroy)")
        #expect(try backendState("kvm-a/build-runner") == "shutoff")

        // managedsave: the VM is saved (shut off, reason saved) and has a managed-save image.
        #expect(try facade.virsh("managedsave", "kvm-b/web-03").status == 0)
        #expect(try facade.virsh("domstate", "--reason", "kvm-b/web-03").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "shut off (saved)")
        #expect(try backendState("kvm-b/web-03") == "saved")
        #expect(try facade.virsh("dominfo", "kvm-b/web-03").stdout.contains("Managed save:   yes"))

        // Starting an active VM is refused by virsh itself (the id says it runs).
        let again = try facade.virsh("start", "kvm-a/web-01")
        #expect(again.status != 0 && again.stderr.contains("already active"), "\(again)")

        // Every action that reached the daemon went to the audit log, through the libvirt listener.
        let lines = try String(contentsOfFile: facade.daemon.auditLog, encoding: .utf8).split(separator: "\n")
        let all = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        // Each change: a "sending" record before it is sent, then its outcome.
        #expect(all.count == 18 && all.enumerated().allSatisfy { ($0.offset % 2 == 0) == ($0.element["result"] as? String == "sending") })
        let entries = all.filter { $0["result"] as? String != "sending" }
        #expect(entries.count == 9)
        #expect(entries.map { $0["method"] as? String ?? "" } == ["domain.start", "domain.suspend", "domain.resume", "domain.reboot", "domain.reset",
                                                                   "domain.shutdown", "domain.start", "domain.destroy", "domain.save"])
        #expect(entries.allSatisfy { $0["listener"] as? String == "libvirt-rw" && $0["result"] as? String == "ok" })
        #expect(entries.first?["method"] as? String == "domain.start" && entries.first?["route"] as? String == "kvm-a")
    }

    @Test func eventLoopSeesLifecycleChangesOfEveryBackend() throws {
        let facade = try LibvirtFacadeDaemon(backends: Self.backends)
        let output = facade.daemon.directory.appendingPathComponent("events.out").path
        let watcher = try spawn("/usr/bin/virsh", ["-c", facade.uri(readOnly: true), "event", "--all", "--loop", "--timeout", "20"],
                                environment: ProcessInfo.processInfo.environment, stdout: output, stderr: output)
        defer { kill(watcher, SIGKILL); var status: Int32 = 0; waitpid(watcher, &status, 0) }
        // Actions only once the lifecycle callback (event id 0) is registered.
        let registered = Date().addingTimeInterval(20)
        func lifecycleRegistered() -> Bool {
            facade.daemon.log.split(separator: "\n").contains { $0.contains("eventID=0 ") && $0.contains("libvirt event callback registered") }
        }
        while !lifecycleRegistered() && Date() < registered { usleep(50_000) }
        #expect(try facade.virsh("start", "kvm-a/build-runner").status == 0)
        #expect(try facade.virsh("suspend", "kvm-b/web-03").status == 0)
        #expect(try facade.virsh("destroy", "kvm-a/web-02").status == 0)
        let wanted = ["event 'lifecycle' for domain 'kvm-a/build-runner': Started Booted",
                      "event 'lifecycle' for domain 'kvm-b/web-03': Suspended Paused",
                      "event 'lifecycle' for domain 'kvm-a/web-02': Stopped Destroyed"]
        var text = ""
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if wanted.allSatisfy(text.contains) { break }
            usleep(100_000)
        }
        for line in wanted { #expect(text.contains(line), "\(line) not in:\n\(text)") }
        // In the order they happened.
        let positions = wanted.compactMap { text.range(of: $0)?.lowerBound }
        #expect(positions.count == 3 && positions == positions.sorted())
    }

    @Test func theReadOnlySocketRefusesWithLibvirtsWords() throws {
        let facade = try LibvirtFacadeDaemon(backends: Self.backends)
        #expect(try facade.virsh("list", "--all", readOnly: true).stdout.contains("kvm-a/web-01"))
        for command in ["start kvm-a/build-runner", "destroy kvm-a/web-01", "shutdown kvm-a/web-01", "suspend kvm-a/web-01",
                        "reboot kvm-a/web-01", "reset kvm-a/web-01", "resume kvm-a/cache-redis", "managedsave kvm-a/web-01"] {
            let parts = command.split(separator: " ").map(String.init)
            let refused = try runCommand("/usr/bin/virsh", ["-q", "-c", facade.uri(readOnly: true)] + parts)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("operation forbidden: read only access prevents virDomain"), "\(command): \(refused)")
        }
        // The read-write socket opened with --readonly: libvirt's client refuses by itself.
        let ro = try runCommand("/usr/bin/virsh", ["-q", "-r", "-c", facade.uri(), "suspend", "kvm-a/web-01"])
        #expect(ro.stderr.contains("read only access prevents virDomainSuspend"), "\(ro)")
        #expect(try facade.virsh("domstate", "kvm-a/web-01").stdout.contains("running"))
        // The eight refusals of the read-only socket are in the audit log.
        let entries = try String(contentsOfFile: facade.daemon.auditLog, encoding: .utf8).split(separator: "\n")
        #expect(entries.count == 8)
        #expect(entries.allSatisfy { $0.contains(#""code":"permission_denied""#) })
    }

    @Test func hostFactsAndDomainXML() throws {
        let facade = try LibvirtFacadeDaemon(backends: Self.backends)
        let hostname = try facade.virsh("hostname")
        #expect(hostname.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == ProcessInfo.processInfo.hostName)
        // The federation under its own name (virt-manager labels a connection by the URI's driver).
        let uri = try facade.virsh("uri")
        #expect(uri.stdout.contains("virtfed+unix:///system"), "\(uri)")
        // The older form, through the test driver's name, still reaches the same federation.
        let viaTest = try runCommand("/usr/bin/virsh", ["-q", "-c", facade.uri(driver: "test", path: "/default"), "list", "--all", "--name"],
                                     environment: ["LIBVIRT_DEFAULT_URI": "", "HOME": facade.daemon.directory.path])
        let viaOwn = try facade.virsh("list", "--all", "--name")
        #expect(viaTest.status == 0 && viaTest.stdout == viaOwn.stdout && viaOwn.stdout.contains("kvm-a/"), "\(viaTest)\n\(viaOwn)")
        let version = try facade.virsh("version")
        #expect(version.status == 0 && version.stdout.contains("Running hypervisor: virtfed 0.2.0"), "\(version)")
        #expect(version.stdout.contains("Using API: virtfed 9.0.0"), "\(version)")

        // nodeinfo: the federation's CPUs and memory, summed over the hosts.
        let node = try facade.virsh("nodeinfo")
        #expect(node.status == 0, "\(node)")
        var cpus = 0, memory = 0
        for backend in ["kvm-a", "kvm-b"] {
            let info = try #require((try facade.daemon.request("node.info", #"{"backend":"\#(backend)"}"#))["result"] as? [String: Any])
            let hardware = try #require(info["node"] as? [String: Any])
            cpus += hardware["cpus"] as? Int ?? 0
            memory += hardware["memory_kib"] as? Int ?? 0
        }
        #expect(node.stdout.contains(try #require(node.stdout.split(separator: "\n").first { $0.hasPrefix("CPU(s):") }).description))
        #expect(node.stdout.split(separator: "\n").contains { $0.hasPrefix("CPU(s):") && $0.hasSuffix(" \(cpus)") }, "\(node.stdout)")
        #expect(node.stdout.contains("Memory size:         \(memory) KiB"), "\(node.stdout)")

        // capabilities validate against libvirt's schema.
        let capabilities = try facade.virsh("capabilities")
        #expect(capabilities.status == 0 && capabilities.stdout.contains("<os_type>hvm</os_type>"), "\(capabilities)")
        let capabilitiesFile = facade.daemon.directory.appendingPathComponent("capabilities.xml").path
        try capabilities.stdout.write(toFile: capabilitiesFile, atomically: true, encoding: .utf8)
        let validCapabilities = try runCommand("/usr/bin/virt-xml-validate", [capabilitiesFile, "capability"])
        #expect(validCapabilities.status == 0, "\(validCapabilities)")

        // dumpxml: the libvirt backend's own definition, under the federated name.
        let xml = try facade.virsh("dumpxml", "kvm-a/web-01")
        #expect(xml.status == 0 && xml.stdout.contains("<name>kvm-a/web-01</name>"), "\(xml)")
        let file = facade.daemon.directory.appendingPathComponent("web-01.xml").path
        try xml.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let valid = try runCommand("/usr/bin/virt-xml-validate", [file, "domain"])
        #expect(valid.status == 0, "\(valid)")
    }

    @Test func hyperVDomainsHaveSynthesizedXMLAndLifecycle() throws {
        let hyperV = try SimulatedHyperV()
        let facade = try LibvirtFacadeDaemon(backends: Self.backends + [(name: "hv01", uri: hyperV.uri, extra: hyperV.backendExtra)],
                                             environment: hyperV.environment)
        let table = rows(try facade.virsh("list", "--all").stdout)
        #expect(table.first { $0[1] == "hv01/sql-01" }?[2] == "running")
        #expect(table.first { $0[1] == "hv01/test-linux" }?[2] == "paused")
        #expect(table.first { $0[1] == "hv01/build-agent" }?[2] == "shut off")
        #expect(Set(table.map { $0[1] }).isSuperset(of: ["kvm-a/web-01", "kvm-b/web-03"]))

        // The XML is synthesized in libvirt's schema from the record, and validates.
        let record = try #require((try facade.daemon.request("domain.get", #"{"domain":"hv01/sql-01"}"#))["result"] as? [String: Any])
        let xml = try facade.virsh("dumpxml", "hv01/sql-01")
        #expect(xml.status == 0, "\(xml)")
        #expect(xml.stdout.contains("<domain type='hyperv' id='"))
        #expect(xml.stdout.contains("<name>hv01/sql-01</name>"))
        #expect(xml.stdout.contains("<uuid>\(record["uuid"] as? String ?? "?")</uuid>"))
        #expect(xml.stdout.contains("<currentMemory unit='KiB'>\(record["memory_kib"] as? Int ?? -1)</currentMemory>"))
        #expect(xml.stdout.contains("<vcpu placement='static'>\(record["vcpus"] as? Int ?? -1)</vcpu>"))
        let file = facade.daemon.directory.appendingPathComponent("sql-01.xml").path
        try xml.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let valid = try runCommand("/usr/bin/virt-xml-validate", [file, "domain"])
        #expect(valid.status == 0, "\(valid)")
        // Its hardware as its host reports it, and its load through virsh's own commands.
        #expect(xml.stdout.contains(#"<source file='C:\ProgramData\Microsoft\Windows\Virtual Hard Disks\sql-01.vhdx'/>"#), "\(xml.stdout)")
        #expect(xml.stdout.contains("<mac address='00:15:5d:"), "\(xml.stdout)")
        #expect(try facade.virsh("domblklist", "hv01/sql-01").stdout.contains("sql-01.vhdx"))
        let blockStats = try facade.virsh("domblkstat", "hv01/sql-01", "sda")
        #expect(blockStats.status == 0 && blockStats.stdout.contains("sda rd_bytes"), "\(blockStats)")
        let domstats = try facade.virsh("domstats", "hv01/sql-01", "--cpu-total", "--block", "--interface")
        for field in ["cpu.time=", "block.0.rd.bytes=", "net.0.rx.bytes="] {
            #expect(domstats.stdout.contains(field), "\(field): \(domstats)")
        }
        // Hyper-V's checkpoints are libvirt snapshots to virsh (none on this VM yet: an empty list, truly).
        let snapshots = try facade.virsh("snapshot-list", "hv01/sql-01", "--name")
        #expect(snapshots.status == 0 && snapshots.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(snapshots)")
        let notRunning = try facade.virsh("domblkstat", "hv01/build-agent", "sda")
        #expect(notRunning.status != 0 && notRunning.stderr.contains("domain is not running"), "\(notRunning)")
        let inactive = facade.daemon.directory.appendingPathComponent("build-agent.xml").path
        try (try facade.virsh("dumpxml", "hv01/build-agent")).stdout.write(toFile: inactive, atomically: true, encoding: .utf8)
        #expect(try runCommand("/usr/bin/virt-xml-validate", [inactive, "domain"]).status == 0)

        // Lifecycle through Hyper-V jobs.
        #expect(try facade.virsh("start", "hv01/build-agent").status == 0)
        #expect(try facade.virsh("domstate", "hv01/build-agent").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "running")
        #expect(try facade.virsh("managedsave", "hv01/build-agent").status == 0)
        #expect(try facade.virsh("domstate", "--reason", "hv01/build-agent").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "shut off (saved)")
        let info = try facade.virsh("dominfo", "hv01/sql-01")
        #expect(info.stdout.contains("UUID:           \(record["uuid"] as? String ?? "?")"), "\(info)")
    }

    @Test func socketModesAndAGracefulStopRemovesTheSockets() throws {
        let facade = try LibvirtFacadeDaemon(backends: Self.backends)
        var info = stat()
        stat(facade.socket, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        stat(facade.readonlySocket, &info)
        #expect(info.st_mode & 0o777 == 0o666)
        // A client connected while the daemon stops is closed; the files go.
        let held = try LineClient(path: facade.socket)
        facade.daemon.signal(SIGTERM)
        #expect(facade.daemon.waitForExit(seconds: 15) == 0, "\(facade.daemon.log)")
        #expect(held.isClosedByPeer())
        #expect(!FileManager.default.fileExists(atPath: facade.socket))
        #expect(!FileManager.default.fileExists(atPath: facade.readonlySocket))
    }

    @Test func unsupportedProceduresAnswerWithoutDroppingTheConnection() throws {
        let facade = try LibvirtFacadeDaemon(backends: Self.backends)
        // One virsh session: an unsupported call, then more calls on the same connection.
        let session = try facade.virsh("schedinfo kvm-a/web-01; net-list --all; pool-list --all; list --all --name")
        #expect(session.stderr.contains("this function is not supported by the connection driver"), "\(session)")
        #expect(session.stdout.contains("kvm-a/web-01"), "\(session)")
        // Networks, pools, node devices and interfaces: empty lists, not errors.
        for command in ["net-list --all --name", "pool-list --all --name", "nodedev-list", "iface-list --all"] {
            let listing = try runCommand("/usr/bin/virsh", ["-q", "-c", facade.uri()] + command.split(separator: " ").map(String.init))
            #expect(listing.status == 0 && listing.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(command): \(listing)")
        }
    }
}
