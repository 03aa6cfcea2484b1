import Foundation
import Testing

/// Migration of real QEMU (TCG) guests between two libvirtd on this machine (scripts/qemu-pair:
/// each in its own namespaces, distinct host UUIDs, loopback only), through the CLI and the
/// daemon: the VM's record follows it — same UUID, new backend — and the events say so.
@Suite("migration: real QEMU guests between two libvirtd", .serialized)
struct MigrationTests {
    /// A started pair of QEMU libvirtd, stopped when dropped.
    final class QEMUPair {
        let directory: URL
        let uris: [String]
        static let script = Paths.root.appendingPathComponent("scripts/qemu-pair").path

        init() throws {
            directory = try scratchDirectory("qemu-pair")
            var last: CommandResult?
            for _ in 0..<4 {
                // Below the ephemeral range and apart from the other tests' ports.
                let a = Int.random(in: 16_100..<16_500), b = a + 1, migration = Int.random(in: 17_000..<17_900)
                let started = try runCommand(Self.script, ["start", directory.path, "\(a)", "\(b)", "--migration-base", "\(migration)"], timeout: 120)
                if started.status == 0 {
                    uris = started.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("qemu+tcp://") }
                    guard uris.count == 2 else { throw FleetError(message: "qemu-pair printed no URIs: \(started)") }
                    return
                }
                last = started
                _ = try? runCommand(Self.script, ["stop", directory.path])
            }
            throw FleetError(message: "qemu-pair did not start: \(last.map { "\($0)" } ?? "")")
        }

        func guestXML(_ name: String) throws -> String {
            try runCommand(Self.script, ["guest-xml", name]).stdout
        }

        func virsh(_ side: Int, _ arguments: String...) throws -> CommandResult {
            try runCommand("/usr/bin/virsh", ["-q", "-c", uris[side]] + arguments, environment: ["LIBVIRT_DEFAULT_URI": ""])
        }

        deinit { _ = try? runCommand(Self.script, ["stop", directory.path]) }
    }

    @Test func aRunningGuestMovesLiveAndAShutOffOneOfflineAndItsRecordFollows() throws {
        let pair = try QEMUPair()
        let daemon = try Daemon(backends: [("qemu-a", pair.uris[0], ""), ("qemu-b", pair.uris[1], ""),
                                           ("lab", "test://\(Paths.hosts)/kvm-a.xml", "")])
        let env = ["VIRTFED_SOCKET": daemon.socket, "VIRTFED_READONLY_SOCKET": daemon.readonlySocket]
        let file = daemon.directory.appendingPathComponent("guest.xml").path
        try pair.guestXML("mig-guest").write(toFile: file, atomically: true, encoding: .utf8)
        let defined = try virtfed("define", file, "--backend", "qemu-a", "--json", environment: env)
        #expect(defined.status == 0, "\(defined)")
        let uuid = try #require(((try defined.json() as? [String: Any])?["job"] as? [String: Any])?["uuid"] as? String)
        let started = try virtfed("start", "qemu-a/mig-guest", environment: env, timeout: 60)
        #expect(started.status == 0, "\(started)")

        let events = try LineClient(path: daemon.socket)
        try events.send(#"{"jsonrpc":"2.0","method":"events.subscribe","params":{"domains":["\#(uuid)"]},"id":1}"#)
        _ = try events.receive()

        // Live, peer to peer: qemu-a's libvirtd dials qemu-b itself.
        let moved = try virtfed("migrate", "qemu-a/mig-guest", "--to", "qemu-b", environment: env, timeout: 90)
        #expect(moved.status == 0 && moved.stdout.contains("Domain 'qemu-a/mig-guest' migrated to qemu-b"), "\(moved)")
        let list = try #require(try virtfed("list", "--all", "--json", environment: env).json() as? [String: Any])
        let entries = ((list["domains"] as? [[String: Any]]) ?? []).filter { $0["uuid"] as? String == uuid }
        #expect(entries.count == 1 && entries.first?["name"] as? String == "qemu-b/mig-guest" && entries.first?["state"] as? String == "running",
                "\(entries)")
        #expect((entries.first?["routes"] as? [String]) == ["qemu-b"])
        #expect(try pair.virsh(1, "domstate", "mig-guest").stdout.hasPrefix("running"))
        #expect(try pair.virsh(0, "dominfo", "mig-guest").status != 0)
        // The events: gone from qemu-a, there on qemu-b.
        var seen: [String] = []
        let until = Date().addingTimeInterval(15)
        while Date() < until, !(seen.contains { $0.hasPrefix("qemu-a ") } && seen.contains { $0.hasPrefix("qemu-b ") }) {
            guard let line = try events.receive(timeout: 5), let object = parse(line) as? [String: Any],
                  object["method"] as? String == "event.domain", let params = object["params"] as? [String: Any] else { continue }
            seen.append("\(params["backend"] as? String ?? "?") \(params["event"] as? String ?? params["type"] as? String ?? "?")")
        }
        #expect(seen.contains { $0.hasPrefix("qemu-a ") } && seen.contains { $0.hasPrefix("qemu-b ") }, "\(seen)")

        // Offline, back again.
        #expect(try virtfed("destroy", "qemu-b/mig-guest", environment: env).status == 0)
        let back = try virtfed("migrate", "qemu-b/mig-guest", "--to", "qemu-a", "--offline", environment: env, timeout: 60)
        #expect(back.status == 0, "\(back)")
        let record = try #require(try virtfed("dominfo", uuid, "--json", environment: env).json() as? [String: Any])
        #expect(record["backend"] as? String == "qemu-a" && record["state"] as? String == "shutoff" && record["persistent"] as? Bool == true, "\(record)")

        // libvirt moves a VM only between hosts of one hypervisor; an unknown target is not found.
        let across = try virtfed("migrate", "qemu-a/mig-guest", "--to", "lab", environment: env)
        #expect(across.status != 0 && across.stderr.contains("qemu cannot move to test"), "\(across)")
        let nowhere = try virtfed("migrate", "qemu-a/mig-guest", "--to", "qemu-z", environment: env)
        #expect(nowhere.status != 0 && nowhere.stderr.contains("no backend named 'qemu-z'"), "\(nowhere)")
        #expect(try pair.virsh(0, "domstate", "mig-guest").stdout.hasPrefix("shut off"))
    }
}
