import Foundation

/// Windows' raw performance counters of the VMs' devices (`root/cimv2`), instances only while a VM
/// has a worker process (running, paused, or in a transition from one). Counters are cumulative
/// since the worker process started and advance only while the virtual processors run.
extension InstanceFactory {
    /// The 100 ns ticks per second of `Frequency_PerfTime` (QueryPerformanceFrequency on current
    /// Windows) and `Frequency_Sys100NS`.
    static let ticksPerSecond: Int64 = 10_000_000
    /// Seconds from 1601-01-01 (FILETIME's epoch) to 1970-01-01.
    static let fileTimeEpochOffset: Double = 11_644_473_600

    /// `Frequency_*` and `Timestamp_*`, as of now.
    private func perfTimestamps(_ name: String) -> [String: WMIValue] {
        let uptime = Date().timeIntervalSince(bootTime)
        let sys100ns = (Date().timeIntervalSince1970 + Self.fileTimeEpochOffset) * Double(Self.ticksPerSecond)
        return [
            "Name": .string(name),
            "Frequency_Object": .integer(0),
            "Frequency_PerfTime": .integer(Self.ticksPerSecond),
            "Frequency_Sys100NS": .integer(Self.ticksPerSecond),
            "Timestamp_Object": .integer(0),
            "Timestamp_PerfTime": .integer(Int64(max(0, uptime) * Double(Self.ticksPerSecond))),
            "Timestamp_Sys100NS": .integer(Int64(sys100ns)),
        ]
    }

    /// A uint64 counter value.
    private static func counter(_ value: UInt64) -> WMIValue { .integer(Int64(clamping: value)) }

    /// `Win32_PerfRawData_Counters_HyperVVirtualStorageDevice`: one per disk while `vm` has a worker process.
    func storagePerformance(_ vm: VMRecord) -> [WMIInstance] {
        guard vm.runningSince != nil else { return [] }
        let workload = vm.workload
        let seconds = vm.activeSeconds(at: now)
        return vm.disks.filter { !$0.optical }.enumerated().map { index, disk in
            let read = workload.bytes(.diskRead, device: index, over: seconds)
            let written = workload.bytes(.diskWrite, device: index, over: seconds)
            let reads = UInt64(Double(read) / workload.ioSize(.diskRead, device: index))
            let writes = UInt64(Double(written) / workload.ioSize(.diskWrite, device: index))
            var values = perfTimestamps(disk.counterInstanceName)
            values["ErrorCount"] = .integer(0)
            values["FlushCount"] = Self.counter(writes / 64)
            values["QueueLength"] = .integer(vm.isExecuting ? Int64(workload.fraction("queue/\(index)") * 3) : 0)
            values["ReadBytesPersec"] = Self.counter(read)
            values["ReadCount"] = Self.counter(reads)
            values["ReadOperationsPerSec"] = Self.counter(reads)
            values["WriteBytesPersec"] = Self.counter(written)
            values["WriteCount"] = Self.counter(writes)
            values["WriteOperationsPerSec"] = Self.counter(writes)
            return WMIInstance(WMISchema.perfVirtualStorageDevice, values)
        }
    }

    /// `Win32_PerfRawData_NvspNicStats_HyperVVirtualNetworkAdapter`: one per adapter while `vm` has a worker process.
    func networkPerformance(_ vm: VMRecord) -> [WMIInstance] {
        guard vm.runningSince != nil else { return [] }
        let workload = vm.workload
        let seconds = vm.activeSeconds(at: now)
        return vm.adapters.enumerated().map { index, adapter in
            let received = workload.bytes(.networkReceived, device: index, over: seconds)
            let sent = workload.bytes(.networkSent, device: index, over: seconds)
            let packetsIn = UInt64(Double(received) / workload.packetSize(.networkReceived, device: index))
            let packetsOut = UInt64(Double(sent) / workload.packetSize(.networkSent, device: index))
            let droppedIn = UInt64(Double(packetsIn) / workload.dropInterval(.networkReceived, device: index))
            let droppedOut = UInt64(Double(packetsOut) / workload.dropInterval(.networkSent, device: index))
            var values = perfTimestamps("\(vm.spec.name)_Network Adapter_\(vm.guid)--\(adapter.id)")
            values["BroadcastPacketsReceivedPersec"] = Self.counter(packetsIn / 40)
            values["BroadcastPacketsSentPersec"] = Self.counter(packetsOut / 200)
            values["BytesPersec"] = Self.counter(received &+ sent)
            values["BytesReceivedPersec"] = Self.counter(received)
            values["BytesSentPersec"] = Self.counter(sent)
            values["DirectedPacketsReceivedPersec"] = Self.counter(packetsIn - packetsIn / 40 - packetsIn / 100)
            values["DirectedPacketsSentPersec"] = Self.counter(packetsOut - packetsOut / 200 - packetsOut / 400)
            values["DroppedPacketsIncomingPersec"] = Self.counter(droppedIn)
            values["DroppedPacketsOutgoingPersec"] = Self.counter(droppedOut)
            values["ExtensionsDroppedPacketsIncomingPersec"] = .integer(0)
            values["ExtensionsDroppedPacketsOutgoingPersec"] = .integer(0)
            values["MulticastPacketsReceivedPersec"] = Self.counter(packetsIn / 100)
            values["MulticastPacketsSentPersec"] = Self.counter(packetsOut / 400)
            values["PacketsPersec"] = Self.counter(packetsIn &+ packetsOut)
            values["PacketsReceivedPersec"] = Self.counter(packetsIn)
            values["PacketsSentPersec"] = Self.counter(packetsOut)
            return WMIInstance(WMISchema.perfVirtualNetworkAdapter, values)
        }
    }
}
