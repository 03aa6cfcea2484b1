import Broker
import BrokerCore
import LibvirtVocabulary

/// The families of Debian's `prometheus-libvirt-exporter` (0.2.0), with its names, types,
/// units and label names, for every VM of every backend — so a dashboard written for that
/// exporter works on virtfed and also shows the Hyper-V and SCVMM VMs. Every series adds the
/// labels `backend`, `host` and `platform` to the exporter's own; `libvirt_up` and
/// `libvirt_domains_number` are per backend. Tests/IntegrationTests/ExporterCompatibilityTests
/// hold the names and label sets to the real exporter's scrape of the same libvirt host.
///
/// Written from the inventory at each scrape (no series objects are kept between scrapes):
/// the counters are the backends' own totals. Block and interface series exist for devices a
/// backend counts; SCVMM counts disk I/O per VM, not per disk, which is one series with empty
/// `target_device` and `source_file`.
enum LibvirtExporterFamilies {
    static func write(_ inventory: [BackendInventory], into writer: inout ExpositionWriter) {
        var seenBackends = Set<String>()
        let backends = inventory.filter { seenBackends.insert($0.backend).inserted }
        writer.family("libvirt_up", type: "gauge", help: "Whether the backend's session is connected (the exporter: whether scraping libvirt succeeded).")
        for backend in backends {
            writer.sample("libvirt_up", labels: ExpositionWriter.labels(["backend": backend.backend]), value: UInt64(backend.up ? 1 : 0))
        }
        writer.family("libvirt_domains_number", type: "gauge", help: "Number of domains.")
        for backend in backends {
            writer.sample("libvirt_domains_number", labels: ExpositionWriter.labels(["backend": backend.backend]), value: UInt64(backend.domains.count))
        }

        // Each VM's label set once, then one pass per family (a family's samples are contiguous).
        var vms: [(domain: Domain, labels: [UInt8])] = []
        vms.reserveCapacity(backends.reduce(0) { $0 + $1.domains.count })
        for backend in backends {
            var seen = Set<String>()
            for domain in backend.domains where seen.insert(domain.uuid).inserted {
                vms.append((domain, ExpositionWriter.labels([
                    "backend": backend.backend, "host": domain.host, "platform": domain.platform ?? "",
                    "domain": domain.name, "uuid": domain.uuid,
                ])))
            }
        }

        writer.family("libvirt_domain_state_code", type: "gauge", help: "State of the domain (libvirt's virDomainState).")
        for vm in vms { writer.sample("libvirt_domain_state_code", labels: vm.labels, value: UInt64(vm.domain.state.libvirtState)) }
        writer.family("libvirt_domain_info_virtual_cpus", type: "gauge", help: "Number of virtual CPUs for the domain.")
        for vm in vms { writer.sample("libvirt_domain_info_virtual_cpus", labels: vm.labels, value: UInt64(vm.domain.vcpus)) }
        writer.family("libvirt_domain_info_maximum_memory_bytes", type: "gauge", help: "Maximum allowed memory of the domain, in bytes.")
        for vm in vms { writer.sample("libvirt_domain_info_maximum_memory_bytes", labels: vm.labels, value: vm.domain.maxMemoryKiB * 1024) }
        writer.family("libvirt_domain_info_memory_usage_bytes", type: "gauge", help: "Memory usage of the domain, in bytes.")
        for vm in vms { writer.sample("libvirt_domain_info_memory_usage_bytes", labels: vm.labels, value: vm.domain.memoryKiB * 1024) }
        writer.family("libvirt_domain_info_cpu_time_seconds_total", type: "counter", help: "Amount of CPU time used by the domain, in seconds.")
        for vm in vms {
            guard let nanoseconds = vm.domain.cpuTimeNs else { continue }
            writer.sample("libvirt_domain_info_cpu_time_seconds_total", labels: vm.labels, value: Double(nanoseconds) / 1e9)
        }

        let block: [(String, String, KeyPath<DomainDisk, UInt64?>)] = [
            ("libvirt_domain_block_stats_read_bytes_total", "Number of bytes read from a block device, in bytes.", \.readBytes),
            ("libvirt_domain_block_stats_read_requests_total", "Number of read requests from a block device.", \.readRequests),
            ("libvirt_domain_block_stats_write_bytes_total", "Number of bytes written to a block device, in bytes.", \.writeBytes),
            ("libvirt_domain_block_stats_write_requests_total", "Number of write requests to a block device.", \.writeRequests),
        ]
        for (name, help, value) in block {
            writer.family(name, type: "counter", help: help)
            for vm in vms {
                for disk in vm.domain.stats?.disks ?? [] {
                    guard let counted = disk[keyPath: value] else { continue }
                    writer.sample(name, labels: vm.labels, extra: ["source_file": disk.source ?? "", "target_device": disk.target], value: counted)
                }
            }
        }

        let interface: [(String, String, KeyPath<DomainInterface, UInt64?>)] = [
            ("libvirt_domain_interface_stats_receive_bytes_total", "Number of bytes received on a network interface, in bytes.", \.rxBytes),
            ("libvirt_domain_interface_stats_receive_packets_total", "Number of packets received on a network interface.", \.rxPackets),
            ("libvirt_domain_interface_stats_receive_errors_total", "Number of packet receive errors on a network interface.", \.rxErrors),
            ("libvirt_domain_interface_stats_receive_drops_total", "Number of packet receive drops on a network interface.", \.rxDrops),
            ("libvirt_domain_interface_stats_transmit_bytes_total", "Number of bytes transmitted on a network interface, in bytes.", \.txBytes),
            ("libvirt_domain_interface_stats_transmit_packets_total", "Number of packets transmitted on a network interface.", \.txPackets),
            ("libvirt_domain_interface_stats_transmit_errors_total", "Number of packet transmit errors on a network interface.", \.txErrors),
            ("libvirt_domain_interface_stats_transmit_drops_total", "Number of packet transmit drops on a network interface.", \.txDrops),
        ]
        for (name, help, value) in interface {
            writer.family(name, type: "counter", help: help)
            for vm in vms {
                for nic in vm.domain.stats?.interfaces ?? [] {
                    guard let counted = nic[keyPath: value] else { continue }
                    writer.sample(name, labels: vm.labels, extra: ["source_bridge": nic.network ?? "", "target_device": nic.target ?? nic.mac ?? ""],
                                  value: counted)
                }
            }
        }
    }
}
