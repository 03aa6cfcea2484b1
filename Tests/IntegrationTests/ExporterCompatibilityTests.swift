import Foundation
import Testing

/// `/metrics` as a drop-in for Debian's prometheus-libvirt-exporter: the real exporter and the
/// real `virtfedd` read the same libvirt host (the demo's kvm-a, libvirt's test driver), and
/// every family the exporter exposes is in ours with its type, every label set of its samples
/// within ours (we add backend, host and platform), and the same values for state and memory.
@Suite("The libvirt exporter's metrics, from virtfedd", .serialized)
struct ExporterCompatibilityTests {
    @Test func theExportersFamiliesAndLabelSetsAreASubsetOfOursWithTheSameValues() throws {
        let uri = "test://\(Paths.hosts)/kvm-a.xml"
        let scratch = try scratchDirectory("exporter")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // The exporter listens on a port below the kernel's ephemeral range (where the parallel
        // tests' daemons take theirs) and the test fleets' (20000 up), another one if that one is
        // taken; it answers before the daemon starts.
        var started: (pid: pid_t, port: Int, scrape: MetricsScrape)?
        let log = scratch.appendingPathComponent("exporter.log").path
        for _ in 0..<5 where started == nil {
            let port = Int.random(in: 11_000..<16_000)
            let pid = try spawn("/usr/bin/prometheus-libvirt-exporter", ["--web.listen-address=127.0.0.1:\(port)", "--libvirt.uri=\(uri)"],
                                environment: ProcessInfo.processInfo.environment, stdout: "/dev/null", stderr: log)
            let deadline = Date().addingTimeInterval(30)
            var status: Int32 = 0
            while Date() < deadline, waitpid(pid, &status, WNOHANG) == 0 {
                if let scrape = try? MetricsScrape("http://127.0.0.1:\(port)/metrics", in: scratch), scrape.status == 200,
                   !scrape.samples("libvirt_up").isEmpty {
                    started = (pid, port, scrape)
                    break
                }
                usleep(200_000)
            }
            if started == nil { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        }
        let exporterLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let exporter = try #require(started, "the exporter never answered: \(exporterLog)")
        defer {
            kill(exporter.pid, SIGTERM)
            var status: Int32 = 0
            waitpid(exporter.pid, &status, 0)
        }
        let exported = exporter.scrape
        let directory = try scratchDirectory("vfd")
        let daemon = try Daemon(backends: [("kvm-a", uri, "")], daemonExtra: "metrics = \"127.0.0.1:0\"", directory: directory, logLevel: "info")
        let ours = try Self.scrape(daemon: daemon) { scrape in
            !scrape.samples("libvirt_domain_interface_stats_receive_bytes_total").isEmpty && scrape.value("libvirt_domains_number") == 8
        }
        let families = exported.families.filter { $0.key.hasPrefix("libvirt_") }
        #expect(families.count >= 15, "\(exported.families.keys.sorted()) \(exporterLog)")
        for (family, type) in families {
            #expect(ours.families[family] == type, "\(family): theirs \(type), ours \(ours.families[family] ?? "absent")")
        }
        let added: Set<String> = ["backend", "host", "platform"]
        for sample in exported.samples where sample.name.hasPrefix("libvirt_") {
            let ourSets = Set(ours.samples(sample.name).map { Set($0.labels.keys) })
            let wanted = Set(sample.labels.keys)
            // The exporter's per-domain labels, plus ours; its host-wide series gain `backend`.
            #expect(ourSets.contains(sample.labels["uuid"] == nil ? wanted.union(["backend"]) : wanted.union(added)),
                    "\(sample.name) \(wanted.sorted()) vs ours \(ourSets.map { $0.sorted() })")
        }
        // The same domains, the same state, memory and vCPUs; the same devices.
        // The exporter reports kvm-a's six active domains; we report all eight.
        #expect(exported.samples("libvirt_domain_state_code").count == 6)
        #expect(ours.samples("libvirt_domain_state_code").count == 8)
        for name in ["libvirt_domain_state_code", "libvirt_domain_info_maximum_memory_bytes", "libvirt_domain_info_memory_usage_bytes",
                     "libvirt_domain_info_virtual_cpus"] {
            for sample in exported.samples(name) {
                let uuid = try #require(sample.labels["uuid"])
                #expect(ours.value(name, ["uuid": uuid, "domain": sample.labels["domain"] ?? ""]) == sample.value, "\(name) \(uuid)")
            }
        }
        for sample in exported.samples("libvirt_domain_block_stats_read_bytes_total") {
            let device = ["uuid": sample.labels["uuid"] ?? "", "source_file": sample.labels["source_file"] ?? "", "target_device": sample.labels["target_device"] ?? ""]
            #expect(ours.samples("libvirt_domain_block_stats_read_bytes_total", device).count == 1, "\(device)")
        }
        for sample in exported.samples("libvirt_domain_interface_stats_receive_bytes_total") {
            let device = ["uuid": sample.labels["uuid"] ?? "", "source_bridge": sample.labels["source_bridge"] ?? "", "target_device": sample.labels["target_device"] ?? ""]
            #expect(ours.samples("libvirt_domain_interface_stats_receive_bytes_total", device).count == 1, "\(device)")
        }
    }

    /// A scrape of the daemon's `/metrics` once `done` holds (its port from the log).
    static func scrape(daemon: Daemon, until done: (MetricsScrape) -> Bool) throws -> MetricsScrape {
        var port = 0
        for _ in 0..<500 where port == 0 {
            if let range = daemon.log.range(of: "url=http://127.0.0.1:") { port = Int(daemon.log[range.upperBound...].prefix(while: \.isNumber)) ?? 0 }
            if port == 0 { usleep(10_000) }
        }
        guard port != 0 else { throw FleetError(message: "no 'metrics listening' line:\n\(daemon.log)") }
        let deadline = Date().addingTimeInterval(30)
        while true {
            let scrape = try MetricsScrape("http://127.0.0.1:\(port)/metrics", in: daemon.directory)
            if done(scrape) || Date() > deadline { return scrape }
            usleep(200_000)
        }
    }
}
