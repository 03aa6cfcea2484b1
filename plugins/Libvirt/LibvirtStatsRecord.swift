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
        stats.disks = declared.disks
        if let count = number("block.count") {
            for index in 0..<Int(min(count, 4096)) {
                let prefix = "block.\(index)."
                guard let target = text(prefix + "name") else { continue }
                let position = stats.disks.firstIndex(where: { $0.target == target }) ?? {
                    stats.disks.append(DomainDisk(target: target, source: text(prefix + "path")))
                    return stats.disks.count - 1
                }()
                var disk = stats.disks[position]
                disk.readBytes = number(prefix + "rd.bytes")
                disk.readRequests = number(prefix + "rd.reqs")
                disk.writeBytes = number(prefix + "wr.bytes")
                disk.writeRequests = number(prefix + "wr.reqs")
                disk.capacityBytes = number(prefix + "capacity")
                disk.allocationBytes = number(prefix + "allocation")
                stats.disks[position] = disk
            }
        }
        stats.interfaces = declared.interfaces
        if let count = number("net.count") {
            for index in 0..<Int(min(count, 4096)) {
                let prefix = "net.\(index)."
                guard let target = text(prefix + "name") else { continue }
                let position = stats.interfaces.firstIndex(where: { $0.target == target }) ?? {
                    stats.interfaces.append(DomainInterface(target: target))
                    return stats.interfaces.count - 1
                }()
                var interface = stats.interfaces[position]
                interface.rxBytes = number(prefix + "rx.bytes")
                interface.rxPackets = number(prefix + "rx.pkts")
                interface.rxErrors = number(prefix + "rx.errs")
                interface.rxDrops = number(prefix + "rx.drop")
                interface.txBytes = number(prefix + "tx.bytes")
                interface.txPackets = number(prefix + "tx.pkts")
                interface.txErrors = number(prefix + "tx.errs")
                interface.txDrops = number(prefix + "tx.drop")
                stats.interfaces[position] = interface
            }
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
