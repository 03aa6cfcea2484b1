import Foundation
import Testing

/// virt-manager (Debian's, unmodified) under Xvfb on the facade of a libvirt + Hyper-V
/// federation. Slow and needs the GUI packages: runs under `make test-gui`
/// (VIRTFED_GUI_TESTS=1), skipped by `make test`.
@Suite("libvirt facade: virt-manager", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["VIRTFED_GUI_TESTS"] == "1", "GUI tests run under make test-gui"))
struct LibvirtFacadeGUITests {
    @Test func virtManagerShowsTheFederatedList() throws {
        let hyperV = try SimulatedHyperV()
        let backends = DaemonProtocolTests.demo + [(name: "hv01", uri: hyperV.uri, extra: hyperV.backendExtra)]
        let facade = try LibvirtFacadeDaemon(backends: backends, environment: hyperV.environment)
        let home = facade.daemon.directory.appendingPathComponent("home")
        let settings = home.appendingPathComponent(".config/glib-2.0/settings")
        try FileManager.default.createDirectory(at: settings, withIntermediateDirectories: true)
        // A window large enough for the whole list (GSettings keyfile backend: no dbus here).
        try "[org/virt-manager/virt-manager]\nmanager-window-width=560\nmanager-window-height=860\n"
            .write(to: settings.appendingPathComponent("keyfile"), atomically: true, encoding: .utf8)

        let display = ":\(150 + Int(getpid() % 100))"
        let xvfb = try spawn("/usr/bin/Xvfb", [display, "-screen", "0", "1024x900x24", "-nolisten", "tcp"],
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

        // Its debug log names every VM it added, with its state, from all three backends.
        let wanted = ["domain=kvm-a/web-01 status=Running added", "domain=kvm-a/cache-redis status=Paused added",
                      "domain=kvm-b/test-sandbox status=Shutoff added", "domain=hv01/sql-01 status=Running added",
                      "domain=hv01/test-linux status=Paused added", "domain=hv01/build-agent status=Shutoff added", "Showing manager"]
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
        let taken = try runCommand("/usr/bin/import", ["-display", display, "-window", "root", "-crop", "560x860+0+0", shot])
        #expect(taken.status == 0, "\(taken)")
        let size = (try? FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
        #expect(size > 10_000)
        if let keep = ProcessInfo.processInfo.environment["VIRTFED_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: shot, toPath: keep)
        }
    }
}
