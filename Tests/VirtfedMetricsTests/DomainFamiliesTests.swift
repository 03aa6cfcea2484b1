import Broker
import BrokerCore
import Testing
import VirtfedMetrics

@Suite("/metrics: the libvirt exporter's families for every VM")
struct DomainFamiliesTests {
    func scrape(_ inventory: [BackendInventory]) throws -> Exposition {
        try Exposition(MetricsRegistry().scrape(inventory, now: Fixtures.now))
    }

    @Test func everyVMHasTheExportersInfoSeriesWithBackendHostAndPlatformAdded() throws {
        var web = Fixtures.domain("web", .running, uuid: Fixtures.uuid(1), vcpus: 4, memoryKiB: 524_288, maxMemoryKiB: 1_048_576, cpuTimeNs: 2_500_000_000)
        web.stats = DomainStats(
            disks: [DomainDisk(target: "vda", source: "/img/web.qcow2", readBytes: 10, readRequests: 1, writeBytes: 20, writeRequests: 2),
                    DomainDisk(target: "", readBytes: 5)],
            interfaces: [DomainInterface(target: "vnet0", mac: "52:54:00:00:00:01", network: "br0", rxBytes: 100, rxPackets: 3, txBytes: 200)],
            source: "test")
        let saved = Fixtures.domain("saved", .saved, uuid: Fixtures.uuid(4), host: "hv01.lab", platform: "Hyper-V")
        let text = try scrape([Fixtures.backend("kvm-a", domains: [web]), Fixtures.backend("hv01", plugin: "hyperv", domains: [saved])])
        let labels = ["backend": "kvm-a", "host": web.host, "platform": web.platform ?? "", "domain": "web", "uuid": web.uuid]
        #expect(text.value("libvirt_domain_state_code", labels) == 1)
        #expect(text.value("libvirt_domain_state_code", ["domain": "saved", "backend": "hv01"]) == 5)  // libvirt's shut off
        #expect(text.value("libvirt_domain_info_virtual_cpus", labels) == 4)
        #expect(text.value("libvirt_domain_info_maximum_memory_bytes", labels) == 1_073_741_824)
        #expect(text.value("libvirt_domain_info_memory_usage_bytes", labels) == 536_870_912)
        #expect(text.value("libvirt_domain_info_cpu_time_seconds_total", labels) == 2.5)
        #expect(text.samples("libvirt_domain_info_cpu_time_seconds_total").count == 1)  // only where measured
        let disk = labels.merging(["source_file": "/img/web.qcow2", "target_device": "vda"]) { $1 }
        #expect(text.value("libvirt_domain_block_stats_read_bytes_total", disk) == 10)
        #expect(text.value("libvirt_domain_block_stats_write_requests_total", disk) == 2)
        // A VM-wide disk entry (SCVMM) has empty device labels.
        #expect(text.value("libvirt_domain_block_stats_read_bytes_total", labels.merging(["source_file": "", "target_device": ""]) { $1 }) == 5)
        let nic = labels.merging(["source_bridge": "br0", "target_device": "vnet0"]) { $1 }
        #expect(text.value("libvirt_domain_interface_stats_receive_bytes_total", nic) == 100)
        #expect(text.value("libvirt_domain_interface_stats_transmit_bytes_total", nic) == 200)
        #expect(text.samples("libvirt_domain_interface_stats_transmit_packets_total").isEmpty)  // not measured: no sample
        #expect(text.types["libvirt_domain_block_stats_read_bytes_total"] == "counter")
        #expect(text.types["libvirt_domain_info_virtual_cpus"] == "gauge")
        #expect(text.value("libvirt_up", ["backend": "hv01"]) == 1)
        #expect(text.value("libvirt_domains_number", ["backend": "kvm-a"]) == 1)
    }

    @Test func hostileLabelValuesAreEscapedAndReadBackIntact() throws {
        let hostile = "evil\"name\\with\nnewline"
        var vm = Fixtures.domain(hostile, .running, uuid: Fixtures.uuid(9), host: "h\"1")
        vm.stats = DomainStats(disks: [DomainDisk(target: "sd\"a", source: #"C:\VMs\x.vhdx"#, readBytes: 1)], source: "test")
        let text = try scrape([Fixtures.backend("kvm-a", domains: [vm])])
        #expect(text.value("libvirt_domain_state_code", ["domain": hostile, "host": "h\"1"]) == 1)
        #expect(text.value("libvirt_domain_block_stats_read_bytes_total", ["source_file": #"C:\VMs\x.vhdx"#, "target_device": "sd\"a"]) == 1)
    }

    @Test func absurdSizesFromABackendSaturateInsteadOfTrapping() throws {
        let vm = Fixtures.domain("huge", .running, uuid: Fixtures.uuid(7), memoryKiB: .max, maxMemoryKiB: .max)
        let text = try scrape([Fixtures.backend("kvm-a", domains: [vm])])
        #expect(text.value("libvirt_domain_info_maximum_memory_bytes", ["domain": "huge"]) == Double(UInt64.max))
        #expect(text.value("virtfed_domain_memory_usage_bytes", ["domain": "huge"]) == Double(UInt64.max))
    }
}
