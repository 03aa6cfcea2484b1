import Broker
import BrokerCore
import LibvirtVocabulary

/// Every per-VM family of `/metrics`, for every VM of every backend, written straight from the
/// inventory (no series objects; counters are the backends' own totals):
///
/// - virtfed's own (`virtfed_domain_*`, labels backend, host, domain, uuid, platform);
/// - Debian's `prometheus-libvirt-exporter` (0.2.0) families with its names, types, units and
///   label names, plus `backend`, `host` and `platform` — so a dashboard written for that exporter
///   works on virtfed and also shows the Hyper-V and SCVMM VMs; `libvirt_up` and
///   `libvirt_domains_number` are per backend. Tests/IntegrationTests/ExporterCompatibilityTests
///   hold the names and label sets to the real exporter's scrape of the same libvirt host.
///   Block and interface series exist for devices a backend counts; SCVMM counts disk I/O per
///   VM, not per disk, which is one series with empty `target_device` and `source_file`.
///
/// Each backend's part of each family is kept with the VMs it was written from and written
/// again only when they changed, so a scrape of a steady federation copies bytes (BENCHMARKS.md
/// §10: swift-prometheus registries cost a series object per VM and family and ~1 s per
/// 100,000 VMs to emit). Not thread-safe: `MetricsRegistry` calls it under its lock.
final class DomainFamilies {
    /// Which label set a family's samples carry.
    private enum Labels {
        /// virtfed's: backend, host, domain, uuid, platform.
        case virtfed
        /// The exporter's domain and uuid, after backend, host and platform.
        case exporter
    }

    private struct Family: Sendable {
        let name: String
        let type: String
        let help: String
        let labels: Labels
        /// Writes one VM's samples of this family.
        let write: @Sendable (inout ExpositionWriter, Domain, [UInt8]) -> Void

        init(_ name: String, _ type: String, _ help: String, _ labels: Labels, _ write: @escaping @Sendable (inout ExpositionWriter, Domain, [UInt8]) -> Void) {
            self.name = name
            self.type = type
            self.help = help
            self.labels = labels
            self.write = write
        }

        init(_ family: MetricFamily, _ type: String, _ write: @escaping @Sendable (inout ExpositionWriter, Domain, [UInt8]) -> Void) {
            self.init(family.name, type, family.help, .virtfed, write)
        }
    }

    /// One backend's part of every per-VM family, and the VMs it was written from.
    private struct Part {
        var domains: [Domain]
        var chunks: [[UInt8]]
    }

    private var parts: [String: Part] = [:]

    /// Writes every per-VM family, and the exporter's per-backend ones, for `inventory`.
    func write(_ inventory: [BackendInventory], into writer: inout ExpositionWriter) {
        var seenBackends = Set<String>()
        let backends = inventory.filter { seenBackends.insert($0.backend).inserted }
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
        writer.family("libvirt_up", type: "gauge", help: "Whether the backend's session is connected (the exporter: whether scraping libvirt succeeded).")
        for backend in backends {
            writer.sample("libvirt_up", labels: ExpositionWriter.labels(["backend": backend.backend]), value: UInt64(backend.up ? 1 : 0))
        }
        writer.family("libvirt_domains_number", type: "gauge", help: "Number of domains.")
        for backend in backends {
            writer.sample("libvirt_domains_number", labels: ExpositionWriter.labels(["backend": backend.backend]), value: UInt64(backend.domains.count))
        }
    }

    /// A backend's samples of each per-VM family (each VM once, the first time it is listed).
    private static func chunks(_ backend: BackendInventory) -> [[UInt8]] {
        var seen = Set<String>()
        let vms = backend.domains.filter { seen.insert($0.uuid).inserted }.map { domain in
            (domain: domain,
             virtfed: ExpositionWriter.labels(["backend": backend.backend, "host": domain.host, "domain": domain.name, "uuid": domain.uuid,
                                               "platform": domain.platform ?? ""]),
             exporter: ExpositionWriter.labels(["backend": backend.backend, "host": domain.host, "platform": domain.platform ?? "",
                                                "domain": domain.name, "uuid": domain.uuid]))
        }
        return families.map { family in
            var writer = ExpositionWriter()
            for vm in vms { family.write(&writer, vm.domain, family.labels == .virtfed ? vm.virtfed : vm.exporter) }
            return writer.bytes
        }
    }

    private static let families: [Family] = {
        func gauge(_ name: String, _ help: String, _ value: @escaping @Sendable (Domain) -> UInt64) -> Family {
            Family(name, "gauge", help, .exporter) { writer, domain, labels in writer.sample(name, labels: labels, value: value(domain)) }
        }
        func block(_ name: String, _ help: String, _ value: @escaping @Sendable (DomainDisk) -> UInt64?) -> Family {
            Family(name, "counter", help, .exporter) { writer, domain, labels in
                for disk in domain.stats?.disks ?? [] {
                    guard let counted = value(disk) else { continue }
                    writer.sample(name, labels: labels, extra: ["source_file": disk.source ?? "", "target_device": disk.target], value: counted)
                }
            }
        }
        func interface(_ name: String, _ help: String, _ value: @escaping @Sendable (DomainInterface) -> UInt64?) -> Family {
            Family(name, "counter", help, .exporter) { writer, domain, labels in
                for nic in domain.stats?.interfaces ?? [] {
                    guard let counted = value(nic) else { continue }
                    writer.sample(name, labels: labels, extra: ["source_bridge": nic.network ?? "", "target_device": nic.target ?? nic.mac ?? ""],
                                  value: counted)
                }
            }
        }
        func cpuTime(_ name: String, _ help: String, _ labels: Labels) -> Family {
            Family(name, "counter", help, labels) { writer, domain, labels in
                guard let nanoseconds = domain.cpuTimeNs else { return }
                writer.sample(name, labels: labels, value: Double(nanoseconds) / 1e9)
            }
        }
        let virtfed: [Family] = [
            Family(.domainInfo, "gauge") { writer, domain, labels in
                writer.sample(MetricFamily.domainInfo.name, labels: labels, extra: ["state": domain.state.rawValue], value: UInt64(1))
            },
            Family(.domainStateCode, "gauge") { writer, domain, labels in
                writer.sample(MetricFamily.domainStateCode.name, labels: labels, value: UInt64(domain.state.stateCode))
            },
            Family(.domainRunning, "gauge") { writer, domain, labels in
                writer.sample(MetricFamily.domainRunning.name, labels: labels, value: UInt64(domain.state.isRunning ? 1 : 0))
            },
            Family(.domainVirtualCPUs, "gauge") { writer, domain, labels in
                writer.sample(MetricFamily.domainVirtualCPUs.name, labels: labels, value: UInt64(max(domain.vcpus, 0)))
            },
            Family(.domainMaximumMemory, "gauge") { writer, domain, labels in
                writer.sample(MetricFamily.domainMaximumMemory.name, labels: labels, value: domain.maxMemoryKiB.saturatingMultiplied(by: 1024))
            },
            Family(.domainMemoryUsage, "gauge") { writer, domain, labels in
                writer.sample(MetricFamily.domainMemoryUsage.name, labels: labels, value: domain.memoryKiB.saturatingMultiplied(by: 1024))
            },
            cpuTime(MetricFamily.domainCPUTime.name, MetricFamily.domainCPUTime.help, .virtfed),
        ]
        let exporter: [Family] = [
            gauge("libvirt_domain_state_code", "State of the domain (libvirt's virDomainState).") { UInt64($0.state.libvirtState) },
            gauge("libvirt_domain_info_virtual_cpus", "Number of virtual CPUs for the domain.") { UInt64(max($0.vcpus, 0)) },
            gauge("libvirt_domain_info_maximum_memory_bytes", "Maximum allowed memory of the domain, in bytes.") { $0.maxMemoryKiB.saturatingMultiplied(by: 1024) },
            gauge("libvirt_domain_info_memory_usage_bytes", "Memory usage of the domain, in bytes.") { $0.memoryKiB.saturatingMultiplied(by: 1024) },
            cpuTime("libvirt_domain_info_cpu_time_seconds_total", "Amount of CPU time used by the domain, in seconds.", .exporter),
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
        return virtfed + exporter
    }()
}
