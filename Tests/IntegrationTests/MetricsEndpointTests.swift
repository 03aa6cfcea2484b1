import Foundation
import Testing

/// `/metrics` of the real `virtfedd` on the demo's libvirt hosts plus a simulated Hyper-V
/// host, checked with promtool and prometheus_client's parser against `virtfed list --json`.
@Suite("virtfedd /metrics through promtool and prometheus_client", .serialized)
struct MetricsEndpointTests {
    /// A VM name no label may break: quotes, backslashes, a newline.
    static let hostileName = "evil \"quoted\" \\ back\nslash"

    /// The demo's three libvirt hosts and a Hyper-V simulator whose inventory adds a hostile name.
    final class Federation {
        let simulator: SimulatedHyperV
        let daemon: Daemon
        let url: String
        let scratch: URL

        init(simulatorExtra: [String] = []) throws {
            scratch = try scratchDirectory("metrics-inv")
            var inventory = try #require(try JSONSerialization.jsonObject(
                with: Data(contentsOf: Paths.root.appendingPathComponent("config/hv01.json"))) as? [String: Any])
            var vms = inventory["vms"] as? [[String: Any]] ?? []
            vms.append(["name": MetricsEndpointTests.hostileName, "guid": "5D1A7A7E-0000-4000-8000-00000000BEEF", "biosGuid": "5D1A7A7E-0000-4000-8000-00000000B105",
                        "enabledState": 3, "vcpus": 1, "memoryMiB": 512, "maxMemoryMiB": 512])
            inventory["vms"] = vms
            let inventoryPath = scratch.appendingPathComponent("hv01.json").path
            try JSONSerialization.data(withJSONObject: inventory).write(to: URL(fileURLWithPath: inventoryPath))
            simulator = try SimulatedHyperV(inventory: inventoryPath, extra: simulatorExtra)
            let hosts = Paths.hosts
            let directory = try scratchDirectory("vfd")
            daemon = try Daemon(backends: [
                ("kvm-a", "test://\(hosts)/kvm-a.xml", ""), ("kvm-b", "test://\(hosts)/kvm-b.xml", ""),
                ("kvm-c", "test://\(hosts)/kvm-c.xml", ""), ("hv01", simulator.uri, simulator.backendExtra + "\ntimeout_ms = 1000"),
            ], daemonExtra: "metrics = \"127.0.0.1:0\"\nlibvirt_socket = \"\(directory.path)/libvirt-sock\"", directory: directory,
               environment: simulator.environment, logLevel: "info")
            url = try daemon.metricsURL()
        }

        deinit { try? FileManager.default.removeItem(at: scratch) }

        /// Scrapes until `done` holds (or `seconds` pass); the last scrape.
        func scrape(until done: (MetricsScrape) -> Bool = { _ in true }, seconds: Double = 20) throws -> MetricsScrape {
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                let scrape = try MetricsScrape(url, in: daemon.directory)
                if done(scrape) || Date() > deadline { return scrape }
                usleep(200_000)
            }
        }

        /// Whether every backend's inventory has been read.
        static func full(_ scrape: MetricsScrape) -> Bool {
            ["kvm-a", "kvm-b", "kvm-c", "hv01"].allSatisfy { scrape.value("virtfed_backend_data_age_seconds", ["backend": $0]) != nil }
        }
    }

    @Test func everyVMIsExposedWithTheValuesTheListingShows() throws {
        let federation = try Federation()
        let scrape = try federation.scrape(until: Federation.full)
        #expect(scrape.status == 200)
        #expect(Federation.full(scrape), "the cache never filled:\n\(scrape.body.prefix(2000))")
        let listing = try virtfed("-c", federation.daemon.socket, "list", "--all", "--json")
        #expect(listing.status == 0, "\(listing)")
        let domains = try #require((try listing.json() as? [String: Any])?["domains"] as? [[String: Any]])
        #expect(domains.count >= 10)
        var shutOff = 0
        for domain in domains {
            let uuid = domain["uuid"] as! String, routes = domain["routes"] as! [String], state = domain["state"] as! String
            for backend in routes {
                #expect(scrape.samples("virtfed_domain_info", ["backend": backend, "uuid": uuid]).count == 1, "\(domain["name"]!) via \(backend)")
            }
            guard routes.count == 1, let backend = routes.first else { continue }
            let name = String((domain["name"] as! String).dropFirst(backend.count + 1))
            let labels = ["backend": backend, "uuid": uuid, "domain": name, "host": domain["host"] as! String]
            #expect(scrape.value("virtfed_domain_info", labels.merging(["state": state]) { $1 }) == 1, "\(labels)")
            #expect(scrape.value("virtfed_domain_running", labels) == (state == "running" || state == "blocked" ? 1 : 0), "\(labels)")
            #expect(scrape.value("virtfed_domain_virtual_cpus", labels) == Double(domain["vcpus"] as! Int), "\(labels)")
            #expect(scrape.value("virtfed_domain_memory_usage_bytes", labels) == Double(domain["memory_kib"] as! Int) * 1024, "\(labels)")
            #expect(scrape.value("virtfed_domain_maximum_memory_bytes", labels) == Double(domain["max_memory_kib"] as! Int) * 1024, "\(labels)")
            if let cpu = domain["cpu_time_ns"] as? Int {
                // CPU time moves on (or stays, where the per-domain info is kept between listings)
                // between the cached read and the live listing that follows it; the exposition's
                // decimal seconds may round the same value up by a microsecond.
                let exposed = try #require(scrape.value("virtfed_domain_cpu_time_seconds_total", labels), "\(labels)")
                let age = scrape.value("virtfed_backend_data_age_seconds", ["backend": backend]) ?? 0
                #expect(exposed <= Double(cpu) / 1e9 + 1e-6 && Double(cpu) / 1e9 - exposed < age + 30, "\(labels): \(exposed) vs \(cpu) ns")
            }
            if state == "shutoff" {
                shutOff += 1
                #expect(scrape.value("virtfed_domain_state_code", labels) == 5, "\(labels)")
            }
        }
        #expect(shutOff >= 3, "the demo has powered-off VMs on libvirt and Hyper-V")
        #expect(scrape.samples("virtfed_domain_info").count == domains.reduce(0) { $0 + ($1["routes"] as! [String]).count })
        // The hostile name survives escaping, through a real parser.
        #expect(scrape.value("virtfed_domain_state_code", ["backend": "hv01", "domain": Self.hostileName]) == 5)
        for backend in ["kvm-a", "kvm-b", "kvm-c", "hv01"] {
            #expect(scrape.value("virtfed_backend_up", ["backend": backend]) == 1, "\(backend)")
            #expect(scrape.value("virtfed_backend_stale", ["backend": backend]) == 0, "\(backend)")
        }
        #expect(scrape.value("virtfed_backend_sessions") == 4)
        // The listing above was counted.
        let after = try federation.scrape()
        #expect(after.families["virtfed_rpc_request_duration_seconds"] == "histogram")
        #expect((after.value("virtfed_rpc_requests_total", ["method": "domains.list"]) ?? 0) >= 1)
        #expect((after.value("virtfed_rpc_request_duration_seconds_count", ["method": "domains.list"]) ?? 0) >= 1)
        #expect(after.value("virtfed_rpc_clients", ["listener": "rw"]) != nil)
        #expect(after.value("virtfed_rpc_clients", ["listener": "libvirt-rw"]) == 0)
        #expect(after.samples("virtfed_rpc_clients", ["listener": "libvirt-ro"]).isEmpty, "not configured")
    }

    /// config/grafana-dashboard.json reads only what a real scrape has: each metric its queries
    /// name is in the exposition, and the per-VM panels show libvirt and Hyper-V VMs alike.
    @Test func everyDashboardQueryReadsMetricsOfARealScrape() throws {
        let federation = try Federation()
        // RPC calls, one of them failing, for the RPC panels.
        _ = try virtfed("-c", federation.daemon.socket, "list")
        _ = try virtfed("-c", federation.daemon.socket, "dominfo", "kvm-a/no-such-vm")
        let scrape = try federation.scrape(until: { scrape in
            Federation.full(scrape) && !scrape.samples("libvirt_domain_info_cpu_time_seconds_total", ["backend": "hv01"]).isEmpty
                && !scrape.samples("libvirt_domain_interface_stats_receive_bytes_total", ["backend": "hv01"]).isEmpty
        }, seconds: 30)
        let names = Set(try MonitoringConfigTests.dashboardExpressions().flatMap(MonitoringConfigTests.metricNames))
        #expect(names.count >= 18)
        for name in names {
            let family = ["_bucket", "_count", "_sum", "_total"].reduce(name) { $0.hasSuffix($1) ? String($0.dropLast($1.count)) : $0 }
            #expect(scrape.families[family] != nil || scrape.families[name] != nil, "\(name) is not in the scrape")
            if name.hasPrefix("libvirt_domain_") {
                for backend in ["kvm-a", "hv01"] {
                    #expect(!scrape.samples(name, ["backend": backend]).isEmpty, "\(name) has no series for \(backend)")
                }
            }
        }
    }

    @Test func aKilledBackendLeavesTheScrapeFastWithUpZeroAndItsDataMarkedStale() throws {
        let federation = try Federation()
        let before = try federation.scrape(until: Federation.full)
        let hvVMs = before.samples("virtfed_domain_info", ["backend": "hv01"]).count
        #expect(hvVMs == 7)
        federation.simulator.stop()
        let down = try federation.scrape(until: { $0.value("virtfed_backend_up", ["backend": "hv01"]) == 0 })
        #expect(down.value("virtfed_backend_up", ["backend": "hv01"]) == 0, "\(federation.daemon.log.suffix(2000))")
        // Scrapes go on answering at once, the others' data intact, the dead one's kept and marked.
        for _ in 0..<5 {
            let scrape = try federation.scrape()
            #expect(scrape.status == 200)
            #expect(scrape.seconds < 0.5, "scrape took \(scrape.seconds) s with a backend down")
            #expect(scrape.value("virtfed_backend_up", ["backend": "kvm-a"]) == 1)
            #expect(scrape.value("virtfed_backend_stale", ["backend": "hv01"]) == 1)
            #expect(scrape.samples("virtfed_domain_info", ["backend": "hv01"]).count == hvVMs)
        }
    }

    @Test func aHangingBackendNeverSlowsTheScrape() throws {
        let federation = try Federation(simulatorExtra: ["--hang"])
        let libvirt = ["kvm-a", "kvm-b", "kvm-c"]
        let first = try federation.scrape(until: { scrape in
            libvirt.allSatisfy { scrape.value("virtfed_backend_data_age_seconds", ["backend": $0]) != nil }
        })
        #expect(libvirt.allSatisfy { first.value("virtfed_backend_data_age_seconds", ["backend": $0]) != nil })
        // While hv01 swallows every request (its calls time out after timeout_ms = 1000), scrapes answer at once.
        let deadline = Date().addingTimeInterval(3)
        var scrapes = 0
        while Date() < deadline {
            let scrape = try federation.scrape()
            scrapes += 1
            #expect(scrape.status == 200)
            #expect(scrape.seconds < 0.5, "scrape took \(scrape.seconds) s with a hanging backend")
            #expect(scrape.value("virtfed_backend_up", ["backend": "hv01"]) == 0)
            #expect(scrape.value("virtfed_backend_stale", ["backend": "hv01"]) == 1)
            #expect(scrape.samples("virtfed_domain_info", ["backend": "hv01"]).isEmpty, "never read, so nothing to show")
            #expect(scrape.value("virtfed_backend_up", ["backend": "kvm-b"]) == 1)
        }
        #expect(scrapes >= 3)
    }

    @Test func aNonLoopbackMetricsAddressIsRefusedAtStart() throws {
        let directory = try scratchDirectory("metrics-cfg")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("virtfed.toml").path
        try Daemon.writeConfig(config, directory: directory, backends: [("kvm-a", "test://\(Paths.hosts)/kvm-a.xml", "")],
                               daemonExtra: "metrics = \"0.0.0.0:9177\"") // # ok-address: refused at start, never bound
        let result = try runCommand(Paths.binDirectory + "/virtfedd", ["--config", config], timeout: 20)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("virtfed.toml:5: daemon.metrics: metrics address '0.0.0.0:9177' is not a loopback address"), "\(result)")
        // `virtfed config check` says the same without starting anything.
        let check = try virtfed("--config", config, "config", "check")
        #expect(check.status == 1, "\(check)")
        #expect(check.stderr.contains("daemon.metrics: metrics address '0.0.0.0:9177' is not a loopback address"), "\(check)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("rw.sock").path))
    }

    @Test func otherPathsMethodsAndHostileRequestsGetHTTPErrorsAndTheDaemonCarriesOn() throws {
        let federation = try Federation()
        let base = String(federation.url.dropLast("/metrics".count))
        func status(_ arguments: [String]) throws -> String {
            try runCommand("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10"] + arguments).stdout
        }
        #expect(try status([base + "/"]) == "404")
        #expect(try status([base + "/metrics/extra"]) == "404")
        #expect(try status(["-X", "POST", federation.url]) == "405")
        #expect(try status(["-X", "POST", "--data-binary", String(repeating: "x", count: 100_000), federation.url]) == "413")
        // A header far over any sane size: refused or cut off, never served.
        let headers = federation.daemon.directory.appendingPathComponent("big-headers").path
        try (0..<40).map { "X-Big-\($0): " + String(repeating: "y", count: 8000) }.joined(separator: "\n").write(toFile: headers, atomically: true, encoding: .utf8)
        let big = try status(["-H", "@" + headers, federation.url])
        #expect(big != "200", "a 320 KB request head was served")
        // Garbage instead of HTTP.
        let garbage = try runCommand("/bin/sh", ["-c", "printf 'NOT HTTP AT ALL\\r\\n\\r\\n' | curl -s --max-time 5 telnet://\(base.dropFirst("http://".count)) | head -c 12"])
        #expect(garbage.stdout.hasPrefix("HTTP/1.1 400"), "\(garbage)")
        // Past 16 connections at once, the extra ones are closed on arrival; the rest stay served.
        let port = String(federation.url.split(separator: ":").last!.prefix(while: \.isNumber))
        let crowd = try runCommand("/usr/bin/python3", ["-c", """
            import socket, select, time
            held = [socket.create_connection(("127.0.0.1", \(port))) for _ in range(20)]
            time.sleep(0.5)
            closed = 0
            for s in held:
                if select.select([s], [], [], 0)[0] and s.recv(1) == b"":
                    closed += 1
            s = held[0]
            s.sendall(b"GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
            print(closed, s.recv(12).decode())
            """])
        #expect(crowd.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "4 HTTP/1.1 200", "\(crowd)")
        // Still serving, to everyone.
        let scrape = try federation.scrape()
        #expect(scrape.status == 200)
        #expect(!federation.daemon.hasExited)
        #expect(try federation.daemon.request("broker.ping")["result"] != nil)
    }
}
