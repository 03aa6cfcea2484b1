import Foundation
import Testing

/// What many backends must not do to the daemon: grow threads with their number, or drop
/// sessions that are merely slow.
@Suite("virtfedd with many backends")
struct ScaleBehaviourTests {
    /// `count` test-driver host files of `domains` VMs each, in a scratch directory.
    static func hosts(_ count: Int, domains: Int) throws -> (directory: URL, uris: [String]) {
        let directory = try scratchDirectory("hosts")
        var uris: [String] = []
        for index in 1...count {
            let path = directory.appendingPathComponent("s\(index).xml").path
            let xml = try runCommand(Paths.root.appendingPathComponent("scripts/gen-host-xml").path, ["s\(index)", "\(domains)"])
            try xml.stdout.write(toFile: path, atomically: true, encoding: .utf8)
            uris.append("test://\(path)")
        }
        return (directory, uris)
    }

    /// Threads of a process, from /proc.
    static func threads(_ pid: pid_t) -> Int? {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("Threads:") }
            .flatMap { Int($0.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) }
    }

    @Test func fiveHundredBackendsKeepTheThreadCountBoundedAndTheirSessions() throws {
        // 500 hosts served by 5 libvirtd over their Unix sockets: every libvirt call blocks on
        // I/O, as with real hosts, so a thread per session would show.
        let fleet = try LibvirtdFleet(instances: 5, domains: 1)
        let (directory, files) = try Self.hosts(500, domains: 2)
        defer { try? FileManager.default.removeItem(at: directory) }
        let uris = files.enumerated().map { index, file in
            "test+unix://\(file.dropFirst("test://".count))?socket=\(fleet.directory.path)/d\(index % 5 + 1)/run/libvirt-sock"
        }
        let daemon = try Daemon(backends: uris.enumerated().map { (name: "s\($0.offset + 1)", uri: $0.element, extra: "poll_interval_ms = 500") },
                                logLevel: "info")
        // Every backend's VMs reach the cache (in 20-40 s here; CI runs this beside the other
        // integration tests on two cores, so the wait is generous: this test is about threads
        // and sessions, the time to a full cache is a benchmark's).
        var cached: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(300)
        while cached.count < 1000 && Date() < deadline {
            let result = try daemon.request("domains.list", #"{"all": true, "max_age_ms": 600000, "detail": "states"}"#)
            cached = ((result["result"] as? [String: Any])?["domains"] as? [[String: Any]]) ?? []
            if cached.count < 1000 { usleep(200_000) }
        }
        let seen = Set(cached.compactMap { $0["backend"] as? String })
        let missing = (1...500).map { "s\($0)" }.filter { !seen.contains($0) }
        let about = daemon.log.split(separator: "\n").filter { line in missing.contains { line.contains("\"\($0)\"") || line.contains("=\($0) ") || line.hasSuffix("=\($0)") } }
        #expect(cached.count == 1000, "missing \(missing); their log:\n\(about.suffix(40).joined(separator: "\n"))")
        // Refreshing 500 backends every half second: the threads stay few, no session drops.
        var most = 0
        for _ in 0..<10 {
            most = max(most, Self.threads(daemon.pid) ?? .max)
            usleep(300_000)
        }
        #expect(most <= 64, "virtfedd runs \(most) threads for 500 backends")
        #expect(!daemon.log.contains("session dropped"))
    }
}
