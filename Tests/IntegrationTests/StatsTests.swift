import Foundation
import Testing

/// Load figures through the real binaries on every kind of backend: libvirt's test driver,
/// the Hyper-V simulator (WMI) and the SCVMM simulator (PowerShell) — `virtfed domstats`,
/// `virtfed top`, and CPU time that stays a counter when a backend restarts.
@Suite("VM load on libvirt, Hyper-V and SCVMM", .serialized)
struct StatsTests {
    /// kvm-a (libvirt), hv01 (Hyper-V), vmm (SCVMM: its ESX and Xen VMs, and hv01's merged).
    final class Federation {
        let hyperV: SimulatedHyperV
        let scvmm: SimulatedSCVMM
        let daemon: Daemon

        init() throws {
            hyperV = try SimulatedHyperV()
            scvmm = try SimulatedSCVMM()
            daemon = try Daemon(backends: [("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", ""), ("hv01", hyperV.uri, hyperV.backendExtra),
                                           ("vmm", scvmm.uri(), scvmm.backendExtra)],
                                environment: hyperV.environment.merging(scvmm.environment) { $1 }, logLevel: "info")
        }

        /// `domains.stats` for `names`, once every one has CPU time (or `seconds` pass).
        func stats(_ names: [String], seconds: Double = 30) throws -> [String: [String: Any]] {
            let deadline = Date().addingTimeInterval(seconds)
            var byName: [String: [String: Any]] = [:]
            repeat {
                let result = try runCommand(Paths.virtfed, ["-c", daemon.socket, "domstats", "--json"] + names)
                if result.status == 0, let domains = (try? result.json() as? [String: Any])?["domains"] as? [[String: Any]] {
                    byName = Dictionary(domains.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
                    if names.allSatisfy({ byName[$0]?["cpu_time_ns"] is Int }) { return byName }
                }
                usleep(300_000)
            } while Date() < deadline
            return byName
        }
    }

    @Test func domstatsShowsEveryKindOfBackendInVirshsLayout() throws {
        let federation = try Federation()
        let names = ["kvm-a/web-01", "hv01/sql-01", "vmm/esx-web-01"]
        let byName = try federation.stats(names)
        for name in names {
            let record = try #require(byName[name], "\(name) missing: \(byName.keys.sorted())")
            let stats = try #require(record["stats"] as? [String: Any], "\(name) has no stats")
            #expect(record["cpu_time_ns"] is Int, "\(name)")
            #expect(!(stats["disks"] as? [Any] ?? []).isEmpty, "\(name): \(stats)")
            #expect(!(stats["interfaces"] as? [Any] ?? []).isEmpty, "\(name): \(stats)")
            #expect((stats["source"] as? String)?.isEmpty == false)
        }
        let hyperV = try #require(byName["hv01/sql-01"]?["stats"] as? [String: Any])
        #expect((hyperV["source"] as? String)?.hasPrefix("GetSummaryInformation") == true)
        #expect(hyperV["memory_used_kib"] is Int && hyperV["uptime_seconds"] is Int && hyperV["cpu_utilization"] is NSNumber)
        let disk = try #require((hyperV["disks"] as? [[String: Any]])?.first)
        #expect((disk["source"] as? String)?.hasSuffix(".vhdx") == true && disk["read_bytes"] is Int)
        let scvmm = try #require(byName["vmm/esx-web-01"]?["stats"] as? [String: Any])
        #expect((scvmm["source"] as? String)?.hasPrefix("Get-SCVirtualMachine") == true)

        // virsh's layout, libvirt's field names.
        let text = try virtfed("-c", federation.daemon.socket, "domstats", "hv01/sql-01", "vmm/esx-web-01", "--cpu-total", "--block", "--interface")
        #expect(text.status == 0, "\(text)")
        for line in ["Domain: 'hv01/sql-01'", "Domain: 'vmm/esx-web-01'", "  cpu.time=", "  block.count=1", "  block.0.name=", "  block.0.rd.bytes=",
                     "  net.count=1", "  net.0.rx.bytes="] {
            #expect(text.stdout.contains(line), "\(line) missing:\n\(text.stdout)")
        }
        #expect(!text.stdout.contains("state.state"), "only the groups asked for")
        let unknown = try virtfed("-c", federation.daemon.socket, "domstats", "hv01/nope")
        #expect(unknown.status == 1 && unknown.stderr.contains("not found"), "\(unknown)")
    }

    @Test func topShowsTheBusiestVMsOfEveryBackend() throws {
        let federation = try Federation()
        _ = try federation.stats(["kvm-a/web-01", "hv01/sql-01", "vmm/esx-web-01"])
        let top = try virtfed("-c", federation.daemon.socket, "top", "--once", "--interval", "6", "--sort", "cpu", "-n", "50")
        #expect(top.status == 0, "\(top)")
        let lines = top.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("CPU%") == true && lines.first?.contains("Net KiB/s") == true, "\(top.stdout)")
        for name in ["kvm-a/web-01", "hv01/sql-01", "vmm/esx-web-01"] {
            #expect(lines.contains { $0.hasPrefix(" \(name) ") }, "\(name) missing:\n\(top.stdout)")
        }
        // Only running VMs; the Hyper-V VM's CPU% is a number (its load, or its integrated time's rate).
        #expect(!lines.contains { $0.contains("hv01/build-agent") })
        let sql = try #require(lines.first { $0.hasPrefix(" hv01/sql-01 ") })
        let cpu = sql.split(separator: " ", omittingEmptySubsequences: true)[2]
        #expect(Double(cpu) != nil, "\(sql)")
        // Sorted by CPU, busiest first.
        let values = lines.dropFirst(2).compactMap { line in Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first ?? "") }
        #expect(values == values.sorted(by: >), "\(top.stdout)")
    }

    /// On a terminal (`script` gives it one): the table redrawn in place, `n` re-sorts by
    /// network, `q` quits with status 0 and the terminal as it was.
    @Test func topOnATerminalRedrawsSortsAndQuitsOnQ() throws {
        let federation = try Federation()
        _ = try federation.stats(["hv01/sql-01"])
        let command = "\(Paths.virtfed) -c \(federation.daemon.socket) top --interval 0.5 -n 5"
        let session = try runCommand("/bin/bash", ["-c", "(sleep 2; printf n; sleep 1.5; printf q) | /usr/bin/script -qfec \(shellQuoted(command)) /dev/null"],
                                     timeout: 30)
        #expect(session.status == 0, "\(session)")
        #expect(session.stdout.contains("\u{1B}[H\u{1B}[2J"), "not redrawn in place")
        #expect(session.stdout.contains("sorted by cpu") && session.stdout.contains("sorted by net"), "\(session.stdout.suffix(1500))")
        #expect(session.stdout.contains("hv01/"), "\(session.stdout.suffix(1500))")
    }

    @Test func cpuTimeIsACounterAcrossABackendRestartOrResetsToZero() throws {
        var hyperV: SimulatedHyperV? = try SimulatedHyperV()
        let port = hyperV!.port
        let password = hyperV!.password
        let daemon = try Daemon(backends: [("hv01", hyperV!.uri, hyperV!.backendExtra)], environment: hyperV!.environment, logLevel: "info")
        func cpuTime() throws -> Int? {
            let result = try virtfed("-c", daemon.socket, "domstats", "--json", "--max-age", "0", "hv01/sql-01")
            return ((try? result.json() as? [String: Any])?["domains"] as? [[String: Any]])?.first?["cpu_time_ns"] as? Int
        }
        var readings: [Int] = []
        for _ in 0..<4 {
            if let value = try cpuTime() { readings.append(value) }
            usleep(400_000)
        }
        #expect(readings.count == 4 && readings == readings.sorted() && readings.last! > readings.first!, "\(readings)")
        // The host restarts (same port, same inventory): the session is re-opened, and CPU time
        // either carries on or starts again from 0 — Prometheus's counter reset — never anything else.
        hyperV = nil
        let restarted = Date()
        let again = try SimulatedHyperV(extra: [], port: port, password: password)
        var after: [Int] = []
        let deadline = Date().addingTimeInterval(30)
        while after.count < 3 && Date() < deadline {
            if let value = try? cpuTime() { after.append(value) }
            usleep(400_000)
        }
        _ = again
        #expect(after.count == 3, "no figures after the restart:\n\(daemon.log.suffix(2000))")
        #expect(after == after.sorted(), "\(after)")
        let since = Date().timeIntervalSince(restarted)
        let first = try #require(after.first)
        // sql-01 has 4 vCPUs: at most 4 CPU-seconds per second since the restart.
        #expect(first >= readings.last! || Double(first) <= since * 4e9, "after \(readings): \(after)")
    }
}

/// `text` as one single-quoted shell word.
private func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
