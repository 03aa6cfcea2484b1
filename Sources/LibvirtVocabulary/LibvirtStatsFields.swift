import BrokerCore

/// A VM's figures as libvirt's bulk statistics name them (`virConnectGetAllDomainStats`,
/// `virsh domstats`): `state.state`, `cpu.time`, `balloon.*`, `vcpu.*`, `net.N.*`, `block.N.*`.
/// The facade sends them as typed parameters and the CLI prints them, from this one table.
public enum LibvirtStatsFields {
    /// The groups, with libvirt's bit values (`VIR_DOMAIN_STATS_*`) and virsh's option names.
    public struct Groups: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let state = Groups(rawValue: 1)
        public static let cpuTotal = Groups(rawValue: 2)
        public static let balloon = Groups(rawValue: 4)
        public static let vcpu = Groups(rawValue: 8)
        public static let interface = Groups(rawValue: 16)
        public static let block = Groups(rawValue: 32)
        /// Every group the federation serves.
        public static let all: Groups = [.state, .cpuTotal, .balloon, .vcpu, .interface, .block]
    }

    /// One field's value, in the typed-parameter type libvirt gives it.
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case int(Int32), uint(UInt32), ullong(UInt64), string(String)

        public var description: String {
            switch self {
            case .int(let value): "\(value)"
            case .uint(let value): "\(value)"
            case .ullong(let value): "\(value)"
            case .string(let value): value
            }
        }
    }

    /// The VM's fields in `groups`, in libvirt's order; a figure the backend does not measure
    /// is left out. Interface and block fields only for a running VM, as libvirt does.
    public static func fields(
        state: DomainState, reason: String?, cpuTimeNs: UInt64?, memoryKiB: UInt64, maxMemoryKiB: UInt64, vcpus: Int,
        stats: DomainStats?, groups: Groups
    ) -> [(name: String, value: Value)] {
        var fields: [(name: String, value: Value)] = []
        func add(_ name: String, _ value: UInt64?) { if let value { fields.append((name, .ullong(value))) } }
        if groups.contains(.state) {
            let reasonNumber: Int32 = state == .saved ? 5
                : Int32(reason.flatMap { word in state.libvirtReasons.firstIndex { $0.lowercased() == word.lowercased() } } ?? 0)
            fields.append(("state.state", .int(state.libvirtState)))
            fields.append(("state.reason", .int(reasonNumber)))
        }
        if groups.contains(.cpuTotal) { add("cpu.time", cpuTimeNs) }
        if groups.contains(.balloon) {
            add("balloon.current", memoryKiB)
            add("balloon.maximum", max(maxMemoryKiB, memoryKiB))
            add("balloon.available", stats?.memoryAvailableKiB)
            add("balloon.unused", stats?.memoryUnusedKiB)
            add("balloon.rss", stats?.memoryUsedKiB)
        }
        if groups.contains(.vcpu) {
            fields.append(("vcpu.current", .uint(UInt32(clamping: max(vcpus, 0)))))
            fields.append(("vcpu.maximum", .uint(UInt32(clamping: max(vcpus, 0)))))
        }
        guard state.isActive, let stats else { return fields }
        if groups.contains(.interface) {
            fields.append(("net.count", .uint(UInt32(clamping: stats.interfaces.count))))
            for (index, nic) in stats.interfaces.enumerated() {
                let prefix = "net.\(index)."
                fields.append((prefix + "name", .string(nic.target ?? nic.mac ?? "net\(index)")))
                add(prefix + "rx.bytes", nic.rxBytes)
                add(prefix + "rx.pkts", nic.rxPackets)
                add(prefix + "rx.errs", nic.rxErrors)
                add(prefix + "rx.drop", nic.rxDrops)
                add(prefix + "tx.bytes", nic.txBytes)
                add(prefix + "tx.pkts", nic.txPackets)
                add(prefix + "tx.errs", nic.txErrors)
                add(prefix + "tx.drop", nic.txDrops)
            }
        }
        if groups.contains(.block) {
            let disks = stats.disks.filter { !$0.target.isEmpty }
            fields.append(("block.count", .uint(UInt32(clamping: disks.count))))
            for (index, disk) in disks.enumerated() {
                let prefix = "block.\(index)."
                fields.append((prefix + "name", .string(disk.target)))
                if let source = disk.source { fields.append((prefix + "path", .string(source))) }
                add(prefix + "rd.reqs", disk.readRequests)
                add(prefix + "rd.bytes", disk.readBytes)
                add(prefix + "wr.reqs", disk.writeRequests)
                add(prefix + "wr.bytes", disk.writeBytes)
                add(prefix + "allocation", disk.allocationBytes)
                add(prefix + "capacity", disk.capacityBytes)
            }
        }
        return fields
    }
}
