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
/// Written from the inventory at each scrape (no series objects; the counters are the backends'
/// own totals). Each backend's part of each family is kept with the VMs it was written from and
/// written again only when they changed, so a scrape of a steady federation copies bytes: at
/// 10,000 VMs the families are ~30 MB, and a few backends change between two scrapes.
/// Not thread-safe: `MetricsRegistry` calls it under its lock. Block and interface series exist for devices a
/// backend counts; SCVMM counts disk I/O per VM, not per disk, which is one series with empty
/// `target_device` and `source_file`.
final class LibvirtExporterFamilies {
    private struct Family: Sendable {
        let name: String
        let type: String
        let help: String
        /// Writes one VM's samples of this family.
        let write: @Sendable (inout ExpositionWriter, Domain, [UInt8]) -> Void
    }

    /// One backend's part of every per-VM family, and the VMs it was written from.
    private struct Part {
        var domains: [Domain]
        var chunks: [[UInt8]]
    }

    private var parts: [String: Part] = [:]

    func write(_ inventory: [BackendInventory], into writer: inout ExpositionWriter) {
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
        var current: [String: Part] = [:]
        for backend in backends {
            if let kept = parts[backend.backend], kept.domains == backend.domains {
                current[backend.backend] = kept
            } else {
                current[backend.backend] = Part(domains: backend.domains, chunks: Self.chunks(backend))
            }
        }
        parts = current
        for (index, family) in Self.families.enumerated() {
            writer.family(family.name, type: family.type, help: family.help)
            for backend in backends { writer.append(raw: current[backend.backend]!.chunks[index]) }
        }
    }

    /// A backend's samples of each per-VM family (each VM once, the first time it is listed).
    private static func chunks(_ backend: BackendInventory) -> [[UInt8]] {
        var seen = Set<String>()
        let vms = backend.domains.filter { seen.insert($0.uuid).inserted }.map { domain in
            (domain, ExpositionWriter.labels([
                "backend": backend.backend, "host": domain.host, "platform": domain.platform ?? "", "domain": domain.name, "uuid": domain.uuid,
            ]))
        }
        return families.map { family in
            var writer = ExpositionWriter()
            for (domain, labels) in vms { family.write(&writer, domain, labels) }
            return writer.bytes
        }
    }

    private static let families: [Family] = {
        func gauge(_ name: String, _ help: String, _ value: @escaping @Sendable (Domain) -> UInt64) -> Family {
            Family(name: name, type: "gauge", help: help) { writer, domain, labels in writer.sample(name, labels: labels, value: value(domain)) }
        }
        func block(_ name: String, _ help: String, _ value: @escaping @Sendable (DomainDisk) -> UInt64?) -> Family {
            Family(name: name, type: "counter", help: help) { writer, domain, labels in
                for disk in domain.stats?.disks ?? [] {
                    guard let counted = value(disk) else { continue }
                    writer.sample(name, labels: labels, extra: ["source_file": disk.source ?? "", "target_device": disk.target], value: counted)
                }
            }
        }
        func interface(_ name: String, _ help: String, _ value: @escaping @Sendable (DomainInterface) -> UInt64?) -> Family {
            Family(name: name, type: "counter", help: help) { writer, domain, labels in
                for nic in domain.stats?.interfaces ?? [] {
                    guard let counted = value(nic) else { continue }
                    writer.sample(name, labels: labels, extra: ["source_bridge": nic.network ?? "", "target_device": nic.target ?? nic.mac ?? ""],
                                  value: counted)
                }
            }
        }
        return [
            gauge("libvirt_domain_state_code", "State of the domain (libvirt's virDomainState).") { UInt64($0.state.libvirtState) },
            gauge("libvirt_domain_info_virtual_cpus", "Number of virtual CPUs for the domain.") { UInt64($0.vcpus) },
            gauge("libvirt_domain_info_maximum_memory_bytes", "Maximum allowed memory of the domain, in bytes.") { $0.maxMemoryKiB * 1024 },
            gauge("libvirt_domain_info_memory_usage_bytes", "Memory usage of the domain, in bytes.") { $0.memoryKiB * 1024 },
            Family(name: "libvirt_domain_info_cpu_time_seconds_total", type: "counter", help: "Amount of CPU time used by the domain, in seconds.") {
                writer, domain, labels in
                guard let nanoseconds = domain.cpuTimeNs else { return }
                writer.sample("libvirt_domain_info_cpu_time_seconds_total", labels: labels, value: Double(nanoseconds) / 1e9)
            },
            block("libvirt_domain_block_stats_read_bytes_total", "Number of bytes read from a block device, in bytes.", \.readBytes),
            block("libvirt_domain_block_stats_read_requests_total", "Number of read requests from a block device.", \.readRequests),
            block("libvirt_domain_block_stats_write_bytes_total", "Number of bytes written to a block device, in bytes.", \.writeBytes),
            block("libvirt_domain_block_stats_write_requests_total", "Number of write requests to a block device.", \.writeRequests),
            interface("libvirt_domain_interface_stats_receive_bytes_total", "Number of bytes received on a network interface, in bytes.", \.rxBytes),
            interface("libvirt_domain_interface_stats_receive_packets_total", "Number of packets received on a network interface.", \.rxPackets),
            interface("libvirt_domain_interface_stats_receive_errors_total", "Number of packet receive errors on a network interface.", \.rxErrors),
            interface("libvirt_domain_interface_stats_receive_drops_total", "Number of packet receive drops on a network interface.", \.rxDrops),
            interface("libvirt_domain_interface_stats_transmit_bytes_total", "Number of bytes transmitted on a network interface, in bytes.", \.txBytes),
            interface("libvirt_domain_interface_stats_transmit_packets_total", "Number of packets transmitted on a network interface.", \.txPackets),
            interface("libvirt_domain_interface_stats_transmit_errors_total", "Number of packet transmit errors on a network interface.", \.txErrors),
            interface("libvirt_domain_interface_stats_transmit_drops_total", "Number of packet transmit drops on a network interface.", \.txDrops),
        ]
    }()
}
