import BrokerCore
import Libvirt

/// Reads a `virConnectGetAllDomainStats` record's balloon, block and interface groups into a
/// `DomainStats`, joined with the devices the domain's XML declares (by disk target and by
/// interface target device): the record counts, the XML says what each device is.
enum LibvirtStatsRecord {
    static let source = "virConnectGetAllDomainStats"
    /// The source of a domain whose devices were counted one call each.
    static let perDeviceSource = "virConnectGetAllDomainStats; per device: virDomainBlockStats, virDomainInterfaceStats"

    static func stats(_ values: [String: LibvirtDomainStats.Value], declared: LibvirtDevices) -> DomainStats {
        func number(_ key: String) -> UInt64? { values[key]?.unsigned }
        func text(_ key: String) -> String? {
            if case .string(let value) = values[key] { return value }
            return nil
        }
        var stats = DomainStats(source: source)
        stats.memoryAvailableKiB = number("balloon.available")
        stats.memoryUnusedKiB = number("balloon.unused")
        if let available = stats.memoryAvailableKiB, let unused = stats.memoryUnusedKiB, available >= unused {
            stats.memoryUsedKiB = available - unused
        } else {
            stats.memoryUsedKiB = number("balloon.rss")
        }
        /// Each `<group>.N.*` entry of the record onto the declared device named `<group>.N.name`
        /// (a new one when the XML did not declare it).
        func merge<Device>(_ devices: inout [Device], _ group: String, name: (Device) -> String?, make: (String, String) -> Device,
                           read: (inout Device, String) -> Void) {
            guard let count = number("\(group).count") else { return }
            for index in 0..<Int(min(count, 4096)) {
                let prefix = "\(group).\(index)."
                guard let target = text(prefix + "name") else { continue }
                if let position = devices.firstIndex(where: { name($0) == target }) {
                    read(&devices[position], prefix)
                } else {
                    var device = make(target, prefix)
                    read(&device, prefix)
                    devices.append(device)
                }
            }
        }
        stats.disks = declared.disks
        merge(&stats.disks, "block", name: \.target, make: { DomainDisk(target: $0, source: text($1 + "path")) }) { disk, prefix in
            disk.readBytes = number(prefix + "rd.bytes")
            disk.readRequests = number(prefix + "rd.reqs")
            disk.writeBytes = number(prefix + "wr.bytes")
            disk.writeRequests = number(prefix + "wr.reqs")
            disk.capacityBytes = number(prefix + "capacity")
            disk.allocationBytes = number(prefix + "allocation")
        }
        stats.interfaces = declared.interfaces
        merge(&stats.interfaces, "net", name: \.target, make: { target, _ in DomainInterface(target: target) }) { interface, prefix in
            interface.rxBytes = number(prefix + "rx.bytes")
            interface.rxPackets = number(prefix + "rx.pkts")
            interface.rxErrors = number(prefix + "rx.errs")
            interface.rxDrops = number(prefix + "rx.drop")
            interface.txBytes = number(prefix + "tx.bytes")
            interface.txPackets = number(prefix + "tx.pkts")
            interface.txErrors = number(prefix + "tx.errs")
            interface.txDrops = number(prefix + "tx.drop")
        }
        return stats
    }
}

extension DomainInterface {
    /// Takes the counters of a `virDomainInterfaceStats` answer.
    mutating func set(_ read: LibvirtInterfaceStats) {
        rxBytes = read.rxBytes
        rxPackets = read.rxPackets
        rxErrors = read.rxErrors
        rxDrops = read.rxDrops
        txBytes = read.txBytes
        txPackets = read.txPackets
        txErrors = read.txErrors
        txDrops = read.txDrops
    }
}
