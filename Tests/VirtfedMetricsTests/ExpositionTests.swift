import Broker
import BrokerCore
import Foundation
import Testing
import VirtfedMetrics

@Suite("/metrics exposition from the broker's inventory")
struct ExpositionTests {
    let web = Fixtures.domain("web", .running, uuid: Fixtures.uuid(1), vcpus: 4, memoryKiB: 524_288, maxMemoryKiB: 1_048_576, cpuTimeNs: 12_500_000_000)
    let off = Fixtures.domain("off", .shutoff, uuid: Fixtures.uuid(2), vcpus: 1, memoryKiB: 0, maxMemoryKiB: 262_144)
    let paused = Fixtures.domain("paused", .paused, uuid: Fixtures.uuid(3))
    let saved = Fixtures.domain("saved", .saved, uuid: Fixtures.uuid(4), host: "hv01.lab", platform: "Hyper-V")

    func scrape(_ registry: MetricsRegistry, _ inventory: [BackendInventory]) throws -> Exposition {
        try Exposition(registry.scrape(inventory, clients: ["rw": 2, "ro": 0], now: Fixtures.now))
    }

    @Test("every VM has its series, powered-off and saved ones too, with the right values")
    func everyVM() throws {
        let registry = MetricsRegistry()
        let text = try scrape(registry, [
            Fixtures.backend("kvm-a", domains: [web, off, paused]),
            Fixtures.backend("hv01", plugin: "hyperv", domains: [saved]),
        ])
        for (backend, domain) in [("kvm-a", web), ("kvm-a", off), ("kvm-a", paused), ("hv01", saved)] {
            let labels = ["backend": backend, "domain": domain.name, "uuid": domain.uuid, "host": domain.host, "platform": domain.platform ?? ""]
            #expect(text.value("virtfed_domain_info", labels.merging(["state": domain.state.rawValue]) { $1 }) == 1, "\(domain.name)")
            #expect(text.value("virtfed_domain_state_code", labels) == Double(domain.state.stateCode))
            #expect(text.value("virtfed_domain_running", labels) == (domain.state == .running ? 1 : 0))
            #expect(text.value("virtfed_domain_virtual_cpus", labels) == Double(domain.vcpus))
            #expect(text.value("virtfed_domain_maximum_memory_bytes", labels) == Double(domain.maxMemoryKiB * 1024))
            #expect(text.value("virtfed_domain_memory_usage_bytes", labels) == Double(domain.memoryKiB * 1024))
        }
        #expect(text.samples("virtfed_domain_info").count == 4)
        #expect(text.value("virtfed_domain_state_code", ["domain": "off"]) == 5)
        #expect(text.value("virtfed_domain_state_code", ["domain": "paused"]) == 3)
        #expect(text.value("virtfed_domain_state_code", ["domain": "saved"]) == 8)
        // CPU time only where the backend has it.
        #expect(text.value("virtfed_domain_cpu_time_seconds_total", ["domain": "web"]) == 12.5)
        #expect(text.samples("virtfed_domain_cpu_time_seconds_total").count == 1)
        #expect(text.types["virtfed_domain_cpu_time_seconds_total"] == "counter")
        #expect(text.types["virtfed_domain_state_code"] == "gauge")
        #expect(text.value("virtfed_backend_domains", ["backend": "kvm-a"]) == 3)
        #expect(text.value("virtfed_backend_up", ["backend": "hv01", "plugin": "hyperv"]) == 1)
        #expect(text.value("virtfed_backend_sessions") == 2)
        #expect(text.value("virtfed_rpc_clients", ["listener": "rw"]) == 2)
    }

    @Test("a down backend: up 0, stale 1, its last known VMs kept, their age and the counters reported")
    func downBackend() throws {
        let registry = MetricsRegistry()
        let text = try scrape(registry, [
            Fixtures.backend("kvm-a", domains: [web]),
            Fixtures.backend("kvm-b", up: false, stale: true, domains: [off], refreshedAt: Fixtures.now.addingTimeInterval(-90),
                             lastRefreshSeconds: 0.5, refreshErrors: 7, reconnects: 3),
            Fixtures.backend("never", up: false, stale: true, domains: [], refreshedAt: nil, lastRefreshSeconds: nil, refreshErrors: 2),
        ])
        #expect(text.value("virtfed_backend_up", ["backend": "kvm-b"]) == 0)
        #expect(text.value("virtfed_backend_stale", ["backend": "kvm-b"]) == 1)
        #expect(text.value("virtfed_backend_stale", ["backend": "kvm-a"]) == 0)
        #expect(text.value("virtfed_backend_data_age_seconds", ["backend": "kvm-b"]) == 90)
        #expect(text.value("virtfed_backend_refresh_duration_seconds", ["backend": "kvm-b"]) == 0.5)
        #expect(text.value("virtfed_backend_refresh_errors_total", ["backend": "kvm-b"]) == 7)
        #expect(text.value("virtfed_backend_reconnects_total", ["backend": "kvm-b"]) == 3)
        #expect(text.value("virtfed_domain_state_code", ["backend": "kvm-b", "domain": "off"]) == 5)
        // Never read: no age, no duration, but up/stale/errors are there.
        #expect(text.value("virtfed_backend_up", ["backend": "never"]) == 0)
        #expect(text.samples("virtfed_backend_data_age_seconds", ["backend": "never"]).isEmpty)
        #expect(text.samples("virtfed_backend_refresh_duration_seconds", ["backend": "never"]).isEmpty)
        #expect(text.value("virtfed_backend_refresh_errors_total", ["backend": "never"]) == 2)
        #expect(text.value("virtfed_backend_sessions") == 1)
    }

    @Test("hostile VM names (quotes, backslashes, newlines) are escaped and read back intact")
    func hostileNames() throws {
        let hostile = "evil\"name\\with\nnewline"
        let registry = MetricsRegistry()
        let bytes = registry.scrape([Fixtures.backend("kvm-a", domains: [Fixtures.domain(hostile, .shutoff, uuid: Fixtures.uuid(9), host: "h\"1")])],
                                    now: Fixtures.now)
        let raw = String(decoding: bytes, as: UTF8.self)
        #expect(raw.contains(#"domain="evil\"name\\with\nnewline""#))
        #expect(!raw.split(separator: "\n").contains { $0.hasPrefix("newline") }, "a raw newline split a sample")
        let text = try Exposition(bytes)
        #expect(text.value("virtfed_domain_state_code", ["domain": hostile, "host": "h\"1"]) == 5)
    }

    @Test("VMs and backends that vanish lose their series; a state change moves the info series")
    func noGhosts() throws {
        let registry = MetricsRegistry()
        _ = try scrape(registry, [Fixtures.backend("kvm-a", domains: [web, off]), Fixtures.backend("kvm-b", domains: [paused])])
        var started = off
        started.state = .running
        let text = try scrape(registry, [Fixtures.backend("kvm-a", domains: [started])])
        #expect(text.samples("virtfed_domain_info").count == 1)
        #expect(text.value("virtfed_domain_info", ["domain": "off", "state": "running"]) == 1)
        #expect(text.samples("virtfed_domain_info", ["state": "shutoff"]).isEmpty)
        #expect(text.samples("virtfed_domain_state_code", ["domain": "web"]).isEmpty)
        #expect(text.samples("virtfed_backend_up", ["backend": "kvm-b"]).isEmpty)
        #expect(text.samples("virtfed_domain_virtual_cpus", ["backend": "kvm-b"]).isEmpty)
        #expect(text.value("virtfed_domain_running", ["domain": "off"]) == 1)
    }

    @Test("a VM that moved host is one set of series, under its new host")
    func movedHost() throws {
        let registry = MetricsRegistry()
        _ = try scrape(registry, [Fixtures.backend("vmm", plugin: "scvmm", domains: [web])])
        var moved = web
        moved.host = "host2"
        let text = try scrape(registry, [Fixtures.backend("vmm", plugin: "scvmm", domains: [moved])])
        #expect(text.samples("virtfed_domain_virtual_cpus").map { $0.labels["host"] } == ["host2"])
        #expect(text.samples("virtfed_domain_cpu_time_seconds_total").map { $0.labels["host"] } == ["host2"])
    }

    @Test("jobs: running now and failed since start, by backend; a backend with none left reads 0")
    func jobs() throws {
        let registry = MetricsRegistry()
        var text = try Exposition(registry.scrape([], jobs: JobCounts(running: ["hv01": 2, "vmm": 1], failed: ["hv01": 1]), now: Fixtures.now))
        #expect(text.value("virtfed_jobs_running", ["backend": "hv01"]) == 2 && text.value("virtfed_jobs_running", ["backend": "vmm"]) == 1)
        #expect(text.value("virtfed_jobs_failed_total", ["backend": "hv01"]) == 1)
        text = try Exposition(registry.scrape([], jobs: JobCounts(running: ["hv01": 1], failed: ["hv01": 3, "vmm": 1]), now: Fixtures.now))
        #expect(text.value("virtfed_jobs_running", ["backend": "vmm"]) == 0 && text.value("virtfed_jobs_running", ["backend": "hv01"]) == 1)
        #expect(text.value("virtfed_jobs_failed_total", ["backend": "hv01"]) == 3 && text.value("virtfed_jobs_failed_total", ["backend": "vmm"]) == 1)
    }

    @Test("the exposition has one TYPE and HELP per family")
    func families() throws {
        let registry = MetricsRegistry()
        let bytes = registry.scrape([Fixtures.backend("kvm-a", domains: [web, off, paused, saved])], now: Fixtures.now)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        let typeLines = lines.filter { $0.hasPrefix("# TYPE ") }
        #expect(Set(typeLines).count == typeLines.count)
        #expect(lines.filter { $0.hasPrefix("# HELP virtfed_domain_state_code ") }.count == 1)
        _ = try Exposition(bytes)
    }

    @Test("10,000 VMs over 100 backends: every one exposed, each family one block, the gone ones removed")
    func manyVMs() throws {
        let inventory = (1...100).map { b in
            Fixtures.backend("b\(b)", domains: (1...100).map { v in
                Fixtures.domain("vm-\(v)", [.running, .shutoff, .paused, .saved][v % 4], uuid: Fixtures.uuid(b * 1000 + v), host: "h\(b)")
            })
        }
        let registry = MetricsRegistry()
        let text = try Exposition(registry.scrape(inventory, now: Fixtures.now))
        #expect(text.samples("virtfed_domain_info").count == 10_000)
        #expect(text.samples("virtfed_domain_state_code").count == 10_000)
        #expect(text.samples("virtfed_domain_info", ["state": "shutoff"]).count == 2_500)
        #expect(text.value("virtfed_domain_virtual_cpus", ["backend": "b42", "domain": "vm-7"]) == 2)
        // Half the VMs go: their series go too, everywhere.
        let halved = inventory.map { entry in
            var entry = entry
            entry.domains = Array(entry.domains.prefix(50))
            return entry
        }
        let after = try Exposition(registry.scrape(halved, now: Fixtures.now))
        #expect(after.samples("virtfed_domain_info").count == 5_000)
        #expect(after.samples("virtfed_domain_memory_usage_bytes").count == 5_000)
        #expect(after.samples("virtfed_domain_info", ["domain": "vm-51"]).isEmpty)
    }
}
