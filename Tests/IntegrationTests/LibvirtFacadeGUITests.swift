import Foundation
import Testing

/// virt-manager (Debian's, unmodified) under Xvfb on the facade of a libvirt + Hyper-V + SCVMM
/// federation: the federated list, a screenshot, and a lifecycle action from its own window. Slow and needs the GUI packages: runs under `make test-gui`
/// (VIRTFED_GUI_TESTS=1), skipped by `make test`.
@Suite("libvirt facade: virt-manager", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["VIRTFED_GUI_TESTS"] == "1", "GUI tests run under make test-gui"))
struct LibvirtFacadeGUITests {
    @Test func virtManagerShowsTheFederatedListAndRunsLifecycleActions() throws {
        let hyperV = try SimulatedHyperV()
        let scvmm = try SimulatedSCVMM()
        let backends = DaemonProtocolTests.demo + [(name: "hv01", uri: hyperV.uri, extra: hyperV.backendExtra),
                                                   (name: "vmm", uri: scvmm.uri(), extra: scvmm.backendExtra)]
        let facade = try LibvirtFacadeDaemon(backends: backends, environment: hyperV.environment.merging(scvmm.environment) { $1 })
        let home = facade.daemon.directory.appendingPathComponent("home")
        let settings = home.appendingPathComponent(".config/glib-2.0/settings")
        try FileManager.default.createDirectory(at: settings, withIntermediateDirectories: true)
        // A window large enough for the whole list (GSettings keyfile backend: no dbus here).
        try "[org/virt-manager/virt-manager]\nmanager-window-width=560\nmanager-window-height=1390\n"
            .write(to: settings.appendingPathComponent("keyfile"), atomically: true, encoding: .utf8)

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
        sleep(4)  // a few stats ticks for the CPU graphs

        // A screenshot of the window; VIRTFED_SCREENSHOT keeps a copy (docs/virt-manager-federation.png).
        let shot = facade.daemon.directory.appendingPathComponent("virt-manager.png").path
        let taken = try runCommand("/usr/bin/import", ["-display", display, "-window", "root", "-crop", "560x1390+0+0", shot])
        #expect(taken.status == 0, "\(taken)")
        let size = (try? FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
        #expect(size > 10_000)
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
        #expect(fromManager.map { $0["method"] as? String ?? "" } == ["domain.suspend", "domain.resume"], "\(audit)")
    }
}
