import Foundation

/// Synthetic inventories for benchmarks (`virtfed-sim scvmm --generate N --hosts H`).
extension SCVMMInventory {
    /// `vmCount` VMs spread round-robin over `hostCount` hosts (platforms HyperV, HyperV, HyperV,
    /// VMWareESX, XENServer in turn), states mixed, one default disk and adapter each; every
    /// identifier derived from its index, so two runs serve the same inventory.
    public static func generated(vmCount: Int, hostCount: Int, serverName: String = "vmm-bench.bench.local") -> SCVMMInventory {
        let platforms: [VirtualizationPlatform] = [.hyperV, .hyperV, .hyperV, .vmwareESX, .xenServer]
        let hosts = (0..<max(1, hostCount)).map { index in
            SCVMMHost(name: "bench-host-\(index + 1).bench.local", id: GUIDText.derived("scvmm-host-\(index)"),
                      platform: platforms[index % platforms.count], communication: .responding,
                      extra: [PSProperty("LogicalProcessorCount", .int(64)), PSProperty("TotalMemory", .int(549_755_813_888)),
                              PSProperty("ProcessorModel", .string("Xeon")), PSProperty("ProcessorSpeed", .int(2100)),
                              PSProperty("CoresPerCPU", .int(16)), PSProperty("PhysicalCPUCount", .int(2)),
                              PSProperty("OperatingSystemVersionString", .string("10.0.17763"))])
        }
        let states: [VMComputerSystemState] = [.running, .powerOff, .running, .saved, .paused]
        let vms = (0..<max(0, vmCount)).map { index in
            let host = hosts[index % hosts.count]
            let name = String(format: "vm-%05d", index + 1), id = GUIDText.derived("scvmm-vm-\(index)")
            let vmID = host.platform == .hyperV ? GUIDText.derived("scvmm-vmid-\(index)") : nil
            let devices = [PSProperty("VirtualHardDisks", SCVMMVirtualMachine.defaultHardDisks(name: name, id: id, hostName: host.name)),
                           PSProperty("VirtualNetworkAdapters", SCVMMVirtualMachine.defaultNetworkAdapters(name: name, id: id, vmID: vmID))]
            return SCVMMVirtualMachine(
                name: name, id: id, vmID: vmID,
                biosGUID: GUIDText.derived("scvmm-bios-\(index)"), hostName: host.name, cpuCount: 1 + index % 8,
                memoryMB: 1024 * (1 + index % 8), dynamicMemoryMaximumMB: index % 3 == 0 ? 2048 * (1 + index % 8) : nil,
                state: states[index % states.count], status: states[index % states.count], statusIsCondition: false, extra: devices)
        }
        return SCVMMInventory(serverName: serverName, ems: [PSProperty("Guid", .string(GUIDText.derived("scvmm-ems"))), PSProperty("Version", .string("4.0.2051.0"))],
                              hosts: hosts, virtualMachines: vms)
    }
}
