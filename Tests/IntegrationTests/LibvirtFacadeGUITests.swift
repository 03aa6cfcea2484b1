import Foundation
import Testing

/// virt-manager (Debian's, unmodified) under Xvfb on the facade of a libvirt + Hyper-V + SCVMM
/// federation: the federated list, a screenshot, and a lifecycle action from its own window. Slow and needs the GUI packages: runs under `make test-gui`
/// (VIRTFED_GUI_TESTS=1), skipped by `make test`.
@Suite("libvirt facade: virt-manager", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["VIRTFED_GUI_TESTS"] == "1", "GUI tests run under make test-gui"))
struct LibvirtFacadeGUITests {
    static let windowWidth = 900

    @Test func virtManagerShowsTheFederatedListAndRunsLifecycleActions() throws {
        let hyperV = try SimulatedHyperV()
        let scvmm = try SimulatedSCVMM()
        // Hyper-V and SCVMM re-read every second, so their VMs' CPU time moves between virt-manager's samples.
        let backends = DaemonProtocolTests.demo + [(name: "hv01", uri: hyperV.uri, extra: hyperV.backendExtra + "\npoll_interval_ms = 1000"),
                                                   (name: "vmm", uri: scvmm.uri(), extra: scvmm.backendExtra + "\npoll_interval_ms = 1000")]
        let facade = try LibvirtFacadeDaemon(backends: backends, environment: hyperV.environment.merging(scvmm.environment) { $1 })
        let home = facade.daemon.directory.appendingPathComponent("home")
        let settings = home.appendingPathComponent(".config/glib-2.0/settings")
        try FileManager.default.createDirectory(at: settings, withIntermediateDirectories: true)
        // A window large enough for the whole list, with its CPU, disk and network graphs, sampled
        // every second (GSettings keyfile backend: no dbus here).
        try """
            [org/virt-manager/virt-manager]
            manager-window-width=\(Self.windowWidth)
            manager-window-height=1390
            [org/virt-manager/virt-manager/vmlist-fields]
            disk-usage=true
            network-traffic=true
            [org/virt-manager/virt-manager/stats]
            update-interval=1
            enable-disk-poll=true
            enable-net-poll=true

            """.write(to: settings.appendingPathComponent("keyfile"), atomically: true, encoding: .utf8)

        let display = ":\(150 + Int(getpid() % 100))"
        let xvfb = try spawn("/usr/bin/Xvfb", [display, "-screen", "0", "1024x1440x24", "-nolisten", "tcp"],
                             environment: ProcessInfo.processInfo.environment, stdout: "/dev/null",
                             stderr: facade.daemon.directory.appendingPathComponent("xvfb.log").path)
        defer { kill(xvfb, SIGKILL); var status: Int32 = 0; waitpid(xvfb, &status, 0) }
        usleep(500_000)
        let log = facade.daemon.directory.appendingPathComponent("virt-manager.log").path
        var environment = ProcessInfo.processInfo.environment
        environment["DISPLAY"] = display
        environment["HOME"] = home.path
        environment["GSETTINGS_BACKEND"] = "keyfile"
        environment["XDG_RUNTIME_DIR"] = home.path
        let manager = try spawn("/usr/bin/virt-manager", ["--connect", facade.uri(), "--debug", "--no-fork"],
                                environment: environment, stdout: log, stderr: log)
        defer { kill(manager, SIGKILL); var status: Int32 = 0; waitpid(manager, &status, 0) }

        // Its debug log names every VM it added, with its state, from every kind of backend
        // (SCVMM's VMware ESX and XenServer hosts included).
        let wanted = ["domain=kvm-a/web-01 status=Running added", "domain=kvm-a/cache-redis status=Paused added",
                      "domain=kvm-b/test-sandbox status=Shutoff added", "domain=hv01/sql-01 status=Running added",
                      "domain=hv01/test-linux status=Paused added", "domain=hv01/build-agent status=Shutoff added",
                      "domain=vmm/esx-web-01 status=Running added", "domain=vmm/xen-db-01 status=Running added",
                      "domain=vmm/esx-test status=Paused added", "Showing manager"]
        var text = ""
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if wanted.allSatisfy(text.contains) { break }
            usleep(250_000)
        }
        for line in wanted { #expect(text.contains(line), "\(line) missing from virt-manager's log:\n\(text.suffix(3000))") }
        #expect(text.contains("changed to state=Active"), "the connection never became active:\n\(text.suffix(3000))")
        sleep(12)  // stats ticks for the graphs

        // A screenshot of the window; VIRTFED_SCREENSHOT keeps a copy (docs/virt-manager-federation.png).
        let shot = facade.daemon.directory.appendingPathComponent("virt-manager.png").path
        let taken = try runCommand("/usr/bin/import", ["-display", display, "-window", "root", "-crop", "\(Self.windowWidth)x1390+0+0", shot])
        #expect(taken.status == 0, "\(taken)")
        let size = (try? FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
        #expect(size > 10_000)
        // Its graphs draw for Hyper-V and SCVMM VMs (CPU from their integrated CPU time, disk and
        // network from their counters), and stay empty for a VM that is off.
        let listed = try facade.daemon.request("domains.list", #"{"all":true}"#)
        let names = (((listed["result"] as? [String: Any])?["domains"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }.sorted()
        for name in ["hv01/sql-01", "vmm/esx-web-01"] {
            let row = try #require(names.firstIndex(of: name), "\(name) not listed: \(names)")
            for graph in Graph.allCases {
                let drawn = try Self.graphPixels(shot, row: row, graph: graph)
                #expect(drawn >= 10, "\(name): the \(graph) graph is empty (\(drawn) graph pixels)")
            }
        }
        let off = try #require(names.firstIndex(of: "hv01/build-agent"))
        #expect(try Self.graphPixels(shot, row: off, graph: .cpu) == 0, "a shut-off VM has a CPU graph")
        if let keep = ProcessInfo.processInfo.environment["VIRTFED_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: shot, toPath: keep)
        }
        kill(manager, SIGKILL)

        // A lifecycle action from virt-manager's own window: its details view of kvm-b/web-03,
        // the Pause toggle pressed (xdotool; no window manager, so the window sits at 0,0).
        let detailsLog = facade.daemon.directory.appendingPathComponent("virt-manager-details.log").path
        let details = try spawn("/usr/bin/virt-manager", ["--connect", facade.uri(), "--debug", "--no-fork", "--show-domain-editor", "kvm-b/web-03"],
                                environment: environment, stdout: detailsLog, stderr: detailsLog)
        defer { kill(details, SIGKILL); var status: Int32 = 0; waitpid(details, &status, 0) }
        func state() throws -> String? {
            ((try facade.daemon.request("domain.get", #"{"domain":"kvm-b/web-03"}"#))["result"] as? [String: Any])?["state"] as? String
        }
        func waitFor(_ wanted: String) throws -> Bool {
            let until = Date().addingTimeInterval(20)
            while Date() < until {
                if try state() == wanted { return true }
                usleep(200_000)
            }
            return false
        }
        let shown = Date().addingTimeInterval(60)
        while Date() < shown {
            if (try? String(contentsOfFile: detailsLog, encoding: .utf8))?.contains("domain=kvm-b/web-03 status=Running added") == true { break }
            usleep(250_000)
        }
        sleep(3)  // the window is drawn
        var xdotoolEnvironment = environment
        xdotoolEnvironment["DISPLAY"] = display
        let press = try runCommand("/usr/bin/xdotool", ["mousemove", "167", "46", "click", "1"], environment: xdotoolEnvironment)
        #expect(press.status == 0, "\(press)")
        #expect(try waitFor("paused"), "virt-manager's Pause did not suspend kvm-b/web-03")
        let resume = try runCommand("/usr/bin/xdotool", ["mousemove", "167", "46", "click", "1"], environment: xdotoolEnvironment)
        #expect(resume.status == 0)
        #expect(try waitFor("running"), "virt-manager's Pause toggle did not resume kvm-b/web-03")
        // virt-manager saw its own change come back as lifecycle events; both calls are audited with its pid.
        let detailsText = (try? String(contentsOfFile: detailsLog, encoding: .utf8)) ?? ""
        #expect(detailsText.contains("domain lifecycle event: domain=kvm-b/web-03 state=VIR_DOMAIN_EVENT_SUSPENDED"), "\(detailsText.suffix(2000))")
        let audit = try String(contentsOfFile: facade.daemon.auditLog, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let fromManager = audit.filter { ($0["peer"] as? [String: Any])?["pid"] as? Int == Int(details) && $0["listener"] as? String == "libvirt-rw" }
        // Each change is written before it is sent ("sending") and again with its outcome.
        #expect(fromManager.map { "\($0["method"] as? String ?? "") \($0["result"] as? String ?? "")" }
                == ["domain.suspend sending", "domain.suspend ok", "domain.resume sending", "domain.resume ok"], "\(audit)")
    }

    @Test func virtManagersSnapshotPageListsAndTakesSnapshots() throws {
        let facade = try LibvirtFacadeDaemon(backends: DaemonProtocolTests.demo)
        for (name, description) in [("base", "clean install"), ("patched", "after patch Tuesday")] {
            let made = try facade.daemon.request("snapshot.create", #"{"domain":"kvm-b/web-03","name":"\#(name)","description":"\#(description)"}"#)
            #expect(made["result"] != nil, "\(made)")
        }
        let home = facade.daemon.directory.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".config/glib-2.0/settings"), withIntermediateDirectories: true)
        let display = ":\(250 + Int(getpid() % 100))"
        let xvfb = try spawn("/usr/bin/Xvfb", [display, "-screen", "0", "1024x900x24", "-nolisten", "tcp"],
                             environment: ProcessInfo.processInfo.environment, stdout: "/dev/null",
                             stderr: facade.daemon.directory.appendingPathComponent("xvfb.log").path)
        defer { kill(xvfb, SIGKILL); var status: Int32 = 0; waitpid(xvfb, &status, 0) }
        usleep(500_000)
        var environment = ProcessInfo.processInfo.environment
        environment["DISPLAY"] = display
        environment["HOME"] = home.path
        environment["GSETTINGS_BACKEND"] = "keyfile"
        environment["XDG_RUNTIME_DIR"] = home.path
        let log = facade.daemon.directory.appendingPathComponent("virt-manager.log").path
        let manager = try spawn("/usr/bin/virt-manager", ["--connect", facade.uri(), "--debug", "--no-fork", "--show-domain-editor", "kvm-b/web-03"],
                                environment: environment, stdout: log, stderr: log)
        defer { kill(manager, SIGKILL); var status: Int32 = 0; waitpid(manager, &status, 0) }
        let shown = Date().addingTimeInterval(60)
        while Date() < shown, (try? String(contentsOfFile: log, encoding: .utf8))?.contains("Showing VM details") != true { usleep(250_000) }
        sleep(3)
        // Its toolbar's "Manage VM snapshots" (no window manager: the window sits at 0,0), then
        // "+" and the wizard's Finish: virt-manager takes a snapshot of its own.
        func click(_ x: Int, _ y: Int) throws {
            let press = try runCommand("/usr/bin/xdotool", ["mousemove", "\(x)", "\(y)", "click", "1"], environment: environment)
            #expect(press.status == 0, "\(press)")
            sleep(3)
        }
        try click(304, 46)
        try click(33, 806)
        try click(352, 307)
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(text.contains("Creating snapshot flags=0"), "\(text.suffix(3000))")
        let listed = try facade.daemon.request("snapshots.list", #"{"domain":"kvm-b/web-03"}"#)
        let snapshots = ((listed["result"] as? [String: Any])?["snapshots"] as? [[String: Any]]) ?? []
        #expect(snapshots.map { $0["name"] as? String ?? "" } == ["base", "patched", "snapshot1"], "\(listed)")
        #expect(snapshots.last?["parent"] as? String == "patched" && snapshots.last?["current"] as? Bool == true)
        // Its page lists the three, the new one selected and marked current (the green check).
        let shot = facade.daemon.directory.appendingPathComponent("snapshots.png").path
        #expect(try runCommand("/usr/bin/import", ["-display", display, "-window", "root", shot]).status == 0)
        let check = try runCommand("/usr/bin/convert", [shot, "-crop", "16x16+159+164", "+repage", "txt:-"])
        let green = check.stdout.split(separator: "\n").filter { line in
            guard let open = line.firstIndex(of: "("), let close = line.firstIndex(of: ")") else { return false }
            let rgb = line[line.index(after: open)..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return rgb.count >= 3 && rgb[1] - rgb[0] > 40 && rgb[1] - rgb[2] > 40
        }.count
        #expect(green >= 10, "no current-snapshot mark on the new snapshot's row (\(green) green pixels)")
        if let keep = ProcessInfo.processInfo.environment["VIRTFED_SNAPSHOT_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: shot, toPath: keep)
        }
        // The snapshot it took is audited with its pid, like any change.
        let audit = try String(contentsOfFile: facade.daemon.auditLog, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let fromManager = audit.filter { ($0["peer"] as? [String: Any])?["pid"] as? Int == Int(manager) }
        #expect(fromManager.map { "\($0["method"] as? String ?? "") \($0["result"] as? String ?? "")" } == ["snapshot.create sending", "snapshot.create ok"],
                "\(audit)")
    }

    /// The graph columns of virt-manager's list, left to right.
    enum Graph: Int, CaseIterable, CustomStringConvertible {
        case cpu, disk, network
        var description: String { ["CPU", "disk I/O", "network I/O"][rawValue] }
    }

    /// The graph's pixels (the line and its fill, blue) in the list's `row`-th VM row of the
    /// screenshot: the list's rows are 41 pixels apart, the first graph box's inside starting at
    /// y 122; the boxes' insides start at x 489, 629 and 769 (the 900-pixel window's layout).
    static func graphPixels(_ shot: String, row: Int, graph: Graph) throws -> Int {
        let x = [489, 629, 769][graph.rawValue], y = 122 + 41 * row
        let pixels = try runCommand("/usr/bin/convert", [shot, "-crop", "120x34+\(x)+\(y)", "+repage", "txt:-"])
        guard pixels.status == 0 else { throw FleetError(message: "convert: \(pixels)") }
        return pixels.stdout.split(separator: "\n").filter { line in
            guard let open = line.firstIndex(of: "("), let close = line.firstIndex(of: ")") else { return false }
            let rgb = line[line.index(after: open)..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return rgb.count >= 3 && rgb[2] - rgb[0] > 25
        }.count
    }
}
