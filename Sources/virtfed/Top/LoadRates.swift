import BrokerAPI

/// A VM's load as rates, from two samples of its counters: CPU as a percentage of its vCPUs,
/// disk and network bytes per second. Where the backend itself gives the CPU percentage
/// (Hyper-V, SCVMM) and no earlier sample exists, that is shown.
struct LoadRates: Sendable, Equatable {
    var cpuPercent: Double?
    var memoryUsedKiB: UInt64
    var diskBytesPerSecond: Double?
    var netBytesPerSecond: Double?

    /// The rates of `now` against `before` (the same VM's earlier sample, if any).
    init(_ now: DomainStatsRecord, before: DomainStatsRecord?) {
        memoryUsedKiB = now.stats?.memoryUsedKiB ?? now.memoryKiB
        cpuPercent = now.stats?.cpuUtilization
        guard now.state.isActive else {
            cpuPercent = nil
            return
        }
        guard let before, now.sampledAt > before.sampledAt else { return }
        let seconds = now.sampledAt - before.sampledAt
        if let cpu = now.cpuTimeNs, let earlier = before.cpuTimeNs, cpu >= earlier {
            cpuPercent = Double(cpu - earlier) / (seconds * 1e9 * Double(max(now.vcpus, 1))) * 100
        }
        diskBytesPerSecond = Self.rate(Self.diskBytes(now), Self.diskBytes(before), seconds)
        netBytesPerSecond = Self.rate(Self.netBytes(now), Self.netBytes(before), seconds)
    }

    private static func rate(_ now: UInt64?, _ before: UInt64?, _ seconds: Double) -> Double? {
        guard let now, let before, now >= before else { return nil }
        return Double(now - before) / seconds
    }

    private static func diskBytes(_ record: DomainStatsRecord) -> UInt64? {
        let counted = (record.stats?.disks ?? []).flatMap { [$0.readBytes, $0.writeBytes] }.compactMap { $0 }
        return counted.isEmpty ? nil : counted.reduce(0, &+)
    }

    private static func netBytes(_ record: DomainStatsRecord) -> UInt64? {
        let counted = (record.stats?.interfaces ?? []).flatMap { [$0.rxBytes, $0.txBytes] }.compactMap { $0 }
        return counted.isEmpty ? nil : counted.reduce(0, &+)
    }
}
