import BrokerCore

/// What the listing script reads of a VM's load and devices: the `Perf*` properties of
/// `Get-SCVirtualMachine` (rates over VMM's last sample: CPU %, MB in use, disk bytes per
/// second) and, per network adapter, `PerfNetworkKBytesRead/Write` (KB per second), with the
/// VM's virtual hard disks (`Location`, `MaximumSize`, `Size`) and adapters (MAC, switch).
/// `stats` integrates the rates into the monotonic totals consumers expect
/// (docs/protocols-notes.md, "SCVMM load").
struct SCVMMLoad: Sendable, Equatable {
    struct Disk: Sendable, Equatable {
        var location: String?
        var maximumSize: UInt64?
        var size: UInt64?
    }

    struct Adapter: Sendable, Equatable {
        var mac: String?
        var network: String?
        var readKBps: Double?
        var writeKBps: Double?
    }

    var cpuPercent: Double?
    var memoryMB: UInt64?
    var diskReadBps: Double?
    var diskWriteBps: Double?
    var disks: [Disk] = []
    var adapters: [Adapter] = []

    static let source = "Get-SCVirtualMachine Perf* (rates, integrated into totals)"

    /// The VM's stats with its rates integrated since the first sample (running VMs only; a
    /// stopped VM's totals start again from 0), and its CPU time.
    func stats(of domain: Domain, integrator: RateIntegrator, now: ContinuousClock.Instant) -> (stats: DomainStats, cpuTimeNs: UInt64?) {
        let running = domain.state.isActive
        func total(_ figure: String, _ rate: Double?) -> UInt64? {
            guard running, let rate else { return nil }
            return integrator.total(RateIntegrator.Key(uuid: domain.uuid, figure: figure), rate: rate, now: now)
        }
        var stats = DomainStats(source: Self.source)
        stats.cpuUtilization = running ? cpuPercent : nil
        stats.memoryUsedKiB = running ? memoryMB.map { $0.saturatingMultiplied(by: 1024) } : nil
        stats.disks = disks.enumerated().map { index, disk in
            DomainDisk(target: "sd" + String(Array("abcdefghijklmnopqrstuvwxyz")[index % 26]), source: disk.location,
                       capacityBytes: disk.maximumSize, allocationBytes: disk.size)
        }
        // VMM measures disk I/O per VM: on its only disk, or as a VM-wide entry with no target.
        let read = total("disk.read", diskReadBps), written = total("disk.write", diskWriteBps)
        if read != nil || written != nil {
            if stats.disks.count == 1 {
                stats.disks[0].readBytes = read
                stats.disks[0].writeBytes = written
            } else {
                stats.disks.append(DomainDisk(target: "", readBytes: read, writeBytes: written))
            }
        }
        stats.interfaces = adapters.enumerated().map { index, adapter in
            DomainInterface(mac: adapter.mac, network: adapter.network,
                            rxBytes: total("nic\(index).rx", adapter.readKBps.map { $0 * 1024 }),
                            txBytes: total("nic\(index).tx", adapter.writeKBps.map { $0 * 1024 }))
        }
        let cpuTime = total("cpu", cpuPercent.map { $0 / 100 * Double(max(domain.vcpus, 1)) * 1e9 })
        return (stats, cpuTime)
    }
}
