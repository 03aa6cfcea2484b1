/// The disk and network adapter a VM gets when its inventory record lists none (generated
/// inventories, hand-written ones without `VirtualHardDisks`/`VirtualNetworkAdapters`); shaped
/// like the real capture's objects, derived from the VM's identifiers.
extension SCVMMVirtualMachine {
    /// 127 GiB, Hyper-V's default maximum size of a new dynamically expanding VHDX.
    static let defaultMaximumDiskSize = 136_365_211_648

    /// One dynamically expanding VHDX at `C:\ClusterStorage\Volume1\<name>\<name>.vhdx`.
    static func defaultHardDisks(name: String, id: String, hostName: String) -> PSValue {
        let workload = VMWorkload(seed: id)
        let directory = #"C:\ClusterStorage\Volume1\"# + name
        let size = Int(Double(defaultMaximumDiskSize) * (0.05 + 0.4 * workload.fraction("vhd/size"))) / 4096 * 4096
        let disk = PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.VirtualHardDisk", properties: [
            PSProperty("VHDType", .int(1)), PSProperty("VHDFormatType", .int(2)),
            PSProperty("MaximumSize", .int(defaultMaximumDiskSize)), PSProperty("Location", .string(directory + #"\"# + name + ".vhdx")),
            PSProperty("Directory", .string(directory)), PSProperty("Size", .int(size)), PSProperty("HostVolume", .string(#"C:\ClusterStorage\Volume1"#)),
            PSProperty("HostName", .string(hostName)), PSProperty("Name", .string(name + ".vhdx")),
            PSProperty("ID", .string(GUIDText.derived("scvmm-vhd/\(id)"))),
        ], display: name + ".vhdx")
        return .array([.object(disk)])
    }

    /// One synthetic adapter on `Default Switch` whose MAC and device ID are those the Hyper-V
    /// simulator derives for the same VM GUID (`VMId`, else `ID`): `00:15:5D` + the GUID's last 6
    /// hex digits, `Microsoft:<GUID>\<adapter GUID>`.
    static func defaultNetworkAdapters(name: String, id: String, vmID: String?) -> PSValue {
        let guid = (vmID ?? id).uppercased()
        let spec = VMSpec(name: name, guid: guid, biosGuid: guid, enabledState: 3, vcpus: 1, memoryMiB: 1, maxMemoryMiB: 1)
        let adapter = spec.resolvedAdapters(guid: guid)[0]
        let pairs = stride(from: 0, to: 12, by: 2).map { offset in
            String(adapter.mac.dropFirst(offset).prefix(2))
        }
        let mac = pairs.joined(separator: ":")
        let object = PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.VirtualNetworkAdapter", properties: [
            PSProperty("SlotId", .int(0)), PSProperty("VirtualNetwork", .string(adapter.switchName ?? "")),
            PSProperty("MACAddressType", .int(0)), PSProperty("MACAddress", .string(mac)), PSProperty("EthernetAddress", .string(mac)),
            PSProperty("PerfNetworkKBytesRead", .int(0)), PSProperty("PerfNetworkKBytesWrite", .int(0)),
            PSProperty("DeviceID", .string(#"Microsoft:\#(guid)\\#(adapter.id)"#)), PSProperty("Name", .string(name)),
            PSProperty("ID", .string(GUIDText.derived("scvmm-nic/\(id)"))),
        ], display: name)
        return .array([.object(object)])
    }
}
