import BrokerCore

/// Joins a Hyper-V host's live figures into each running VM's `DomainStats`, in a constant
/// number of round trips whatever the number of VMs (docs/protocols-notes.md, "Hyper-V load"):
/// one `GetSummaryInformation` for every VM (ProcessorLoad, MemoryUsage, UpTime), the two raw
/// performance classes of virtual storage devices and virtual network adapters (cumulative
/// counters since the VM started), and the devices — `Msvm_StorageAllocationSettingData` (the
/// VHDs), `Msvm_SyntheticEthernetPortSettingData` (MACs) and
/// `Msvm_EthernetPortAllocationSettingData` (the switch each adapter is connected to).
/// CPU time is `ProcessorLoad` integrated over time (`RateIntegrator`).
struct HyperVStatistics {
    /// The devices of each VM, from the settings classes (they change only with a redefinition).
    struct Devices: Sendable {
        var disks: [String: [DomainDisk]] = [:]
        var interfaces: [String: [(adapter: String, interface: DomainInterface)]] = [:]

        init() {}

        /// `storage`: SASD rows, `ports`: synthetic ports, `connections`: port allocations,
        /// `settings`: the VMs' VSSDs (their generation gives the disk bus: 1 IDE, 2 SCSI).
        init(storage: [[String: String]], ports: [[String: String]], connections: [[String: String]], settings: [[String: String]]) {
            var generation: [String: String] = [:]
            for row in settings {
                guard let guid = HyperVInventory.vmGUID(row["InstanceID"]) else { continue }
                generation[guid] = row["VirtualSystemSubType"]?.hasSuffix(":1") == true ? "ide" : "scsi"
            }
            for row in storage where row["ResourceType"] == "31" && row["ResourceSubType"] != HyperVDevice.opticalImage {
                guard let guid = HyperVInventory.vmGUID(row["InstanceID"]), let path = row["HostResource"] else { continue }
                let bus = generation[guid] ?? "scsi"
                let index = disks[guid]?.count ?? 0
                disks[guid, default: []].append(DomainDisk(target: Self.target(bus: bus, index: index), source: path, bus: bus))
            }
            var switches: [String: String] = [:]
            for row in connections {
                guard let id = row["InstanceID"], let name = row["LastKnownSwitchName"] else { continue }
                switches[Self.parentInstance(id).lowercased()] = name
            }
            for row in ports {
                guard let id = row["InstanceID"], let guid = HyperVInventory.vmGUID(id) else { continue }
                let adapter = String(id.split(separator: "\\").last ?? "").lowercased()
                interfaces[guid, default: []].append((adapter, DomainInterface(
                    mac: row["Address"].map(Self.mac), network: switches[id.lowercased()], model: "synthetic"
                )))
            }
        }

        /// The guest-side name libvirt would give the disk: `hda`… on IDE, `sda`… on SCSI.
        static func target(bus: String, index: Int) -> String {
            let letters = Array("abcdefghijklmnopqrstuvwxyz")
            return (bus == "ide" ? "hd" : "sd") + String(letters[index % letters.count])
        }

        /// `Microsoft:<VM>\<adapter>\C` → `Microsoft:<VM>\<adapter>`.
        static func parentInstance(_ id: String) -> String {
            guard let cut = id.lastIndex(of: "\\") else { return id }
            return String(id[..<cut])
        }

        /// `00155D0A0B01` → `00:15:5d:0a:0b:01`.
        static func mac(_ address: String) -> String {
            let hex = Array(address.lowercased().filter(\.isHexDigit))
            guard hex.count == 12 else { return address.lowercased() }
            return stride(from: 0, to: 12, by: 2).map { String(hex[$0...$0 + 1]) }.joined(separator: ":")
        }
    }

    static let source = "GetSummaryInformation, Win32_PerfRawData (Hyper-V virtual storage devices and network adapters); CPU time integrated from ProcessorLoad"

    /// Each listed VM's stats, by lowercased GUID; `cpuTime` its integrated CPU time (running VMs).
    let stats: [String: DomainStats]
    let cpuTimeNs: [String: UInt64]

    init(
        domains: [Domain], summaries: [[String: String]], storagePerf: [[String: String]], adapterPerf: [[String: String]],
        devices: Devices, cpu: RateIntegrator, now: ContinuousClock.Instant = .now
    ) {
        let summaryByGUID = Dictionary(summaries.compactMap { row in row["Name"].map { ($0.lowercased(), row) } }, uniquingKeysWith: { first, _ in first })
        let storageByName = Dictionary(storagePerf.compactMap { row in row["Name"].map { ($0.lowercased(), row) } }, uniquingKeysWith: { first, _ in first })
        var adapterByGUID: [String: [String: String]] = [:]
        for row in adapterPerf {
            // `<VM>_<adapter name>_<VM GUID>--<adapter GUID>`
            guard let name = row["Name"], let last = name.split(separator: "_").last else { continue }
            let parts = last.components(separatedBy: "--")
            guard parts.count == 2 else { continue }
            adapterByGUID[parts[1].lowercased()] = row
        }
        var stats: [String: DomainStats] = [:]
        var cpuTimes: [String: UInt64] = [:]
        var running = Set<String>()
        for domain in domains {
            let guid = domain.uuid
            var record = DomainStats(source: Self.source)
            let summary = summaryByGUID[guid]
            if domain.state.isActive, let reported = summary?["ProcessorLoad"].flatMap(Double.init), reported.isFinite {
                let load = min(max(reported, 0), 100)  // a percentage, whatever the host says
                record.cpuUtilization = load
                running.insert(guid)
                let nanosecondsPerSecond = load / 100 * Double(max(domain.vcpus, 1)) * 1e9
                cpuTimes[guid] = cpu.total(RateIntegrator.Key(uuid: guid, figure: "cpu"), rate: nanosecondsPerSecond, now: now)
            }
            if let usage = summary?["MemoryUsage"].flatMap(UInt64.init) { record.memoryUsedKiB = usage.saturatingMultiplied(by: 1024) }
            if let uptime = summary?["UpTime"].flatMap(UInt64.init) { record.uptimeSeconds = uptime / 1000 }
            record.disks = (devices.disks[guid] ?? []).map { disk in
                var disk = disk
                guard let counters = disk.source.flatMap({ storageByName[$0.replacingOccurrences(of: "\\", with: "-").lowercased()] }) else { return disk }
                disk.readBytes = counters["ReadBytesPersec"].flatMap(UInt64.init)
                disk.writeBytes = counters["WriteBytesPersec"].flatMap(UInt64.init)
                disk.readRequests = counters["ReadOperationsPerSec"].flatMap(UInt64.init)
                disk.writeRequests = counters["WriteOperationsPerSec"].flatMap(UInt64.init)
                return disk
            }
            record.interfaces = (devices.interfaces[guid] ?? []).map { entry in
                var interface = entry.interface
                guard let counters = adapterByGUID[entry.adapter] else { return interface }
                interface.rxBytes = counters["BytesReceivedPersec"].flatMap(UInt64.init)
                interface.txBytes = counters["BytesSentPersec"].flatMap(UInt64.init)
                interface.rxPackets = counters["PacketsReceivedPersec"].flatMap(UInt64.init)
                interface.txPackets = counters["PacketsSentPersec"].flatMap(UInt64.init)
                interface.rxDrops = counters["DroppedPacketsIncomingPersec"].flatMap(UInt64.init)
                interface.txDrops = counters["DroppedPacketsOutgoingPersec"].flatMap(UInt64.init)
                return interface
            }
            stats[guid] = record
        }
        // A VM that stopped starts its CPU time from 0 when it runs again.
        cpu.retain(only: running)
        self.stats = stats
        cpuTimeNs = cpuTimes
    }
}
