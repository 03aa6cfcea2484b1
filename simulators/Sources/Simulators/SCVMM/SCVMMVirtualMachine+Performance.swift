/// The performance VMM shows for a VM (`PerfCPUUtilization`, `PerfMemory`, `PerfDiskBytesRead`,
/// `PerfDiskBytesWrite`, and each adapter's `PerfNetworkKBytesRead`/`Write`): rates over the last
/// sample, not counters, from the same load model as the Hyper-V simulator (seeded by `VMId`,
/// else `ID`). Zero unless the VM runs; `PerfMemory` also while it is paused (it keeps its memory).
extension SCVMMVirtualMachine {
    /// Its load model.
    var workload: VMWorkload { VMWorkload(seed: vmID ?? id) }

    /// Seconds since it last started, 0 when it has not.
    func runningSeconds(at now: ContinuousClock.Instant) -> Double {
        runningSince.map { VMRecord.seconds(now - $0) } ?? 0
    }

    /// The items of a carried-through collection property (`VirtualHardDisks` …), none when absent or null.
    func items(_ name: String) -> [PSValue] {
        guard let value = extra.first(where: { $0.name.lowercased() == name.lowercased() })?.value, !value.isNull else { return [] }
        return value.pipelineItems.filter { !$0.isNull }
    }

    /// `PerfCPUUtilization`, `PerfMemory`, `PerfDiskBytesRead`, `PerfDiskBytesWrite` as of `now`.
    func performance(at now: ContinuousClock.Instant) -> [PSProperty] {
        let seconds = runningSeconds(at: now)
        let running = state == .running && runningSince != nil
        let workload = workload
        let disks = items("VirtualHardDisks").indices
        func diskRate(_ channel: VMWorkload.Channel) -> PSValue {
            guard running else { return .int(0) }
            return .int(Int(disks.reduce(0) { $0 + workload.sampledRate(channel, device: $1, at: seconds) }))
        }
        let memory = runningSince == nil ? 0
            : workload.memoryUsage(startupMiB: memoryMB, maximumMiB: dynamicMemoryMaximumMB ?? memoryMB, at: seconds)
        return [
            PSProperty("PerfCPUUtilization", .int(running ? workload.processorLoad(at: seconds) : 0)),
            PSProperty("PerfMemory", .int(memory)),
            PSProperty("PerfDiskBytesRead", diskRate(.diskRead)),
            PSProperty("PerfDiskBytesWrite", diskRate(.diskWrite)),
        ]
    }

    /// `extra`, each network adapter's `PerfNetworkKBytesRead`/`Write` set to its rate now (KB/s).
    func extraWithAdapterPerformance(at now: ContinuousClock.Instant) -> [PSProperty] {
        let seconds = runningSeconds(at: now)
        let running = state == .running && runningSince != nil
        let workload = workload
        return extra.map { property in
            guard property.name.lowercased() == "virtualnetworkadapters" else { return property }
            var index = 0
            func live(_ item: PSValue) -> PSValue {
                guard case .object(var adapter) = item else { return item }
                defer { index += 1 }
                let read = running ? Int(workload.sampledRate(.networkReceived, device: index, at: seconds) / 1024) : 0
                let written = running ? Int(workload.sampledRate(.networkSent, device: index, at: seconds) / 1024) : 0
                for (name, value) in [("PerfNetworkKBytesRead", read), ("PerfNetworkKBytesWrite", written)] {
                    if let at = adapter.properties.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
                        adapter.properties[at].value = .int(value)
                    } else {
                        adapter.properties.append(PSProperty(name, .int(value)))
                    }
                }
                return .object(adapter)
            }
            switch property.value {
            case .array(let elements): return PSProperty(property.name, .array(elements.map(live)))
            case .object: return PSProperty(property.name, live(property.value))
            default: return property
            }
        }
    }
}
