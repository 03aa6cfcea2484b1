/// `Msvm_SummaryInformation` instances, as `GetSummaryInformation` returns them.
extension InstanceFactory {
    /// The summary of `vm` with the `requested` properties filled and `Name` always (as the
    /// method documents); the rest null.
    func summary(_ vm: VMRecord, requested: Set<SummaryInformationField>) -> WMIInstance {
        var values: [String: WMIValue] = ["Name": .string(vm.guid)]
        for field in requested { values[field.property] = value(field, vm) }
        return WMIInstance(WMISchema.summaryInformation, values)
    }

    /// The entry for a setting data that names no VM: an empty `Name`, everything else null.
    func missingSummary() -> WMIInstance {
        WMIInstance(WMISchema.summaryInformation, ["Name": .string("")])
    }

    /// The value of one requested property for `vm` now.
    private func value(_ field: SummaryInformationField, _ vm: VMRecord) -> WMIValue {
        let workload = vm.workload
        let seconds = vm.activeSeconds(at: now)
        let dynamicMemory = vm.spec.maxMemoryMiB > vm.spec.memoryMiB
        switch field {
        case .name: return .string(vm.guid)
        case .elementName: return .string(vm.spec.name)
        case .creationTime: return CIMTime.datetime(bootTime.addingTimeInterval(-86_400 * 30))
        case .notes: return .string(vm.spec.notes ?? "")
        case .numberOfProcessors: return .integer(Int64(vm.spec.vcpus))
        case .virtualSwitchNames:
            var seen = Set<String>()
            return .array(vm.adapters.compactMap(\.switchName).filter { seen.insert($0.lowercased()).inserted }.map(WMIValue.string))
        case .version: return .string("9.0")
        case .shielded: return .boolean(false)
        case .enabledState: return .integer(Int64(vm.enabledState))
        case .processorLoad:
            // Percent of the VM's virtual processors; 0 while paused, null without a worker process.
            guard vm.runningSince != nil else { return .null }
            return .integer(vm.isExecuting ? Int64(workload.processorLoad(at: seconds)) : 0)
        case .memoryUsage:
            guard vm.runningSince != nil else { return .null }
            return .integer(Int64(workload.memoryUsage(startupMiB: vm.spec.memoryMiB, maximumMiB: vm.spec.maxMemoryMiB, at: seconds)))
        case .heartbeat: return .integer(vm.enabledState == 2 ? 2 : 12)
        case .upTime:
            guard let uptime = vm.uptime(at: now) else { return .integer(0) }
            return .integer(uptime.components.seconds * 1000 + uptime.components.attoseconds / 1_000_000_000_000_000)
        case .guestOperatingSystem:
            guard vm.enabledState == 2 else { return .null }
            let text = (vm.spec.name + " " + (vm.spec.notes ?? "")).lowercased()
            return .string(text.contains("linux") ? "Ubuntu 22.04.4 LTS" : "Windows Server 2019 Datacenter")
        case .healthState: return .integer(5)
        case .operationalStatus: return .array([.integer(2)])
        case .statusDescriptions: return .array([.string("Operating normally")])
        case .memoryAvailable, .availableMemoryBuffer:
            // Only with dynamic memory and a running worker process.
            guard dynamicMemory, vm.runningSince != nil else { return .null }
            return .integer(Int64(10 + 40 * workload.fraction("memory/available")))
        case .replicationMode, .replicationState, .replicationHealth: return .integer(0)
        case .swapFilesInUse, .memorySpansPhysicalNumaNodes: return .boolean(false)
        }
    }
}
