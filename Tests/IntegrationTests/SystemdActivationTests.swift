import Foundation
import Testing

/// virtfedd as systemd runs it: sockets passed by `systemd-socket-activate` (the same
/// `LISTEN_FDS`/`LISTEN_FDNAMES` protocol as a `.socket` unit) and `sd_notify` messages to a
/// listener standing in for systemd's `NOTIFY_SOCKET`.
@Suite("systemd: socket activation and readiness notifications", .serialized)
struct SystemdActivationTests {
    @Test func servesActivatedSocketsByNameAndNotifiesInOrder() throws {
        let directory = try scratchDirectory("sd")
        let notify = try NotifyListener(path: directory.path + "/notify")
        let rw = directory.path + "/rw.sock", ro = directory.path + "/ro.sock", libvirt = directory.path + "/libvirt.sock"
        // The configuration names no libvirt socket: the facade runs because systemd passed one.
        let daemon = try Daemon(
            backends: DaemonProtocolTests.demo, directory: directory,
            launcher: ["/usr/bin/systemd-socket-activate", "-E", "NOTIFY_SOCKET=\(notify.path)",
                       "-l", rw, "-l", ro, "-l", libvirt, "--fdname=rw:ro:libvirt-rw"])
        #expect(notify.receive() == "READY=1\nSTATUS=serving 2 backends")
        #expect(daemon.log.contains("socket=rw (descriptor 3, from systemd)"), "\(daemon.log)")
        #expect(daemon.log.contains("socket=libvirt-rw (descriptor 5, from systemd)"), "\(daemon.log)")

        let list = try virtfed("-c", rw, "list", "--all", "--json")
        let names = ((try list.json() as? [String: Any])?["domains"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(list.status == 0 && names.contains("kvm-a/web-01") && names.contains("kvm-b/test-sandbox"), "\(list)")
        let readOnly = try virtfed("-c", ro, "start", "kvm-b/test-sandbox")
        #expect(readOnly.status == 1 && readOnly.stderr.contains("read-only"), "\(readOnly)")
        let virsh = try runCommand("/usr/bin/virsh", ["-q", "-c", "virtfed+unix:///system?socket=\(libvirt)", "list", "--all", "--name"],
                                   environment: ["LIBVIRT_DEFAULT_URI": "", "HOME": directory.path])
        #expect(virsh.status == 0 && virsh.stdout.contains("kvm-a/web-01"), "\(virsh)")

        daemon.signal(SIGHUP)
        let reloading = notify.receive() ?? ""
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="), "\(reloading)")
        #expect(notify.receive() == "READY=1\nSTATUS=serving 2 backends")
        daemon.signal(SIGTERM)
        #expect(notify.receive() == "STOPPING=1\nSTATUS=stopping")
        #expect(daemon.waitForExit(seconds: 20) == 0)
        // The socket files belong to the socket units: the daemon leaves them.
        #expect(FileManager.default.fileExists(atPath: rw) && FileManager.default.fileExists(atPath: libvirt))
    }

    @Test func aPassedDescriptorThatIsNotAListeningSocketIsAClearError() throws {
        let directory = try scratchDirectory("sdbad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.path + "/virtfed.toml"
        try Daemon.writeConfig(config, directory: directory, backends: DaemonProtocolTests.demo, daemonExtra: "")
        // Descriptor 3 is a plain file, passed as if it were the rw socket.
        let run = try runCommand("/bin/bash", ["-c", #"exec 3</dev/null; LISTEN_PID=$$ LISTEN_FDS=1 LISTEN_FDNAMES=rw exec "$0" --config "$1""#,
                                               Paths.binDirectory + "/virtfedd", config], timeout: 30)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("socket 'rw' (descriptor 3) passed by systemd is not a listening stream socket"), "\(run)")
    }

    @Test func socketsPassedToAnotherProcessAreIgnored() throws {
        // LISTEN_PID names someone else (a parent that did not clear it): the daemon binds its own.
        let daemon = try Daemon(backends: DaemonProtocolTests.demo,
                                environment: ["LISTEN_PID": "1", "LISTEN_FDS": "1", "LISTEN_FDNAMES": "rw"])
        #expect(try virtfed("-c", daemon.socket, "list").status == 0)
        #expect(daemon.log.contains("activated_sockets=0") && !daemon.log.contains("from systemd"), "\(daemon.log)")
    }
}
