import Foundation

/// The devices of a VM made with `New-SCVirtualMachine -JobGroup`: recorded by
/// `New-SCVirtualDiskDrive`/`New-SCVirtualNetworkAdapter`, checked against the host when the VM
/// is placed (the image must be on the host, the virtual network known to it, IDE only on
/// generation 1), and shown in the VM's `VirtualHardDisks`/`VirtualNetworkAdapters`.
extension SCVMMModel {
    /// Records `device` for the VM of `jobGroup`; a second disk in one slot is refused.
    public func addPendingDevice(_ device: SCVMMNewDevice, jobGroup: String) throws(PSErrorRecord) {
        let taken = state.withLock { state -> Bool in
            let group = jobGroup.lowercased()
            if let slot = device.slot, state.pendingDevices[group, default: []].contains(where: { $0.slot == slot }) { return true }
            state.pendingDevices[group, default: []].append(device)
            return false
        }
        if taken, let slot = device.slot {
            throw .cmdlet("The \(slot) location is already in use by another virtual disk drive. Specify a different bus and LUN. (Error ID: 10608)",
                          category: "InvalidArgument", errorID: "DiskDriveLocationInUse")
        }
    }

    /// The devices recorded for `jobGroup`, which then has none.
    public func takePendingDevices(jobGroup: String) -> [SCVMMNewDevice] {
        state.withLock { $0.pendingDevices.removeValue(forKey: jobGroup.lowercased()) ?? [] }
    }

    /// Why the request's devices cannot be placed on its host, or nil.
    func deviceProblem(_ request: NewVM, state: State) -> String? {
        let host = request.hostName.lowercased()
        let onHost = state.vms.values.filter { $0.hostName.lowercased() == host }
        var files = hostFiles[host] ?? []
        var networks: Set<String> = [VirtualNetworkAdapter.defaultSwitchName.lowercased()]
        for vm in onHost {
            for case .object(let disk) in vm.items("VirtualHardDisks") { if let path = disk.property("Location")?.value.text { files.insert(path.lowercased()) } }
            for case .object(let adapter) in vm.items("VirtualNetworkAdapters") {
                if let name = adapter.property("VirtualNetwork")?.value.text, !name.isEmpty { networks.insert(name.lowercased()) }
            }
        }
        for device in request.devices {
            switch device {
            case .disk(let bus, let index, let lun, let path):
                if bus == .ide && request.generation == 2 {
                    return "Generation 2 virtual machines do not support IDE devices. Attach the disk to a SCSI adapter. (Error ID: 13221)"
                }
                let fits = bus == .ide ? (0...1).contains(index) && (0...1).contains(lun) : (0...3).contains(index) && (0...63).contains(lun)
                if !fits { return "The \(bus.rawValue) location \(index):\(lun) does not exist on virtual machine \(request.name). (Error ID: 10608)" }
                if !files.contains(path.lowercased()) {
                    return "VMM cannot find the file \(path) on host \(request.hostName): The system cannot find the file specified (0x80070002). (Error ID: 2912)"
                }
            case .adapter(let network, _):
                if let network, !networks.contains(network.lowercased()) {
                    return "VMM cannot find the virtual network \(network) on host \(request.hostName). (Error ID: 13601)"
                }
            }
        }
        return nil
    }

    /// `VirtualHardDisks` and `VirtualNetworkAdapters` of a VM made with `devices`.
    static func deviceObjects(_ devices: [SCVMMNewDevice], vmID: String, hostName: String) -> (disks: PSValue, adapters: PSValue) {
        var disks: [PSValue] = [], adapters: [PSValue] = []
        for (index, device) in devices.enumerated() {
            switch device {
            case .disk(_, _, _, let path):
                let name = String(path.split(separator: "\\").last ?? Substring(path))
                let directory = String(path.dropLast(name.count + 1))
                disks.append(.object(PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.VirtualHardDisk", properties: [
                    PSProperty("VHDType", .int(1)), PSProperty("VHDFormatType", .int(name.lowercased().hasSuffix(".vhdx") ? 2 : 1)),
                    PSProperty("MaximumSize", .int(SCVMMVirtualMachine.defaultMaximumDiskSize)), PSProperty("Location", .string(path)),
                    PSProperty("Directory", .string(directory)), PSProperty("Size", .int(4_194_304)), PSProperty("HostName", .string(hostName)),
                    PSProperty("Name", .string(name)), PSProperty("ID", .string(GUIDText.derived("scvmm-vhd/\(vmID)/\(index)"))),
                ], display: name)))
            case .adapter(let network, let mac):
                let address = mac ?? Self.dynamicMAC(vmID: vmID, index: index)
                adapters.append(.object(PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.VirtualNetworkAdapter", properties: [
                    PSProperty("SlotId", .int(adapters.count)), PSProperty("VirtualNetwork", network.map(PSValue.string) ?? .null),
                    PSProperty("MACAddressType", .int(mac == nil ? 0 : 1)), PSProperty("MACAddress", .string(address)),
                    PSProperty("EthernetAddress", .string(address)), PSProperty("PerfNetworkKBytesRead", .int(0)), PSProperty("PerfNetworkKBytesWrite", .int(0)),
                    PSProperty("ID", .string(GUIDText.derived("scvmm-nic/\(vmID)/\(index)"))),
                ], display: "Network Adapter")))
            }
        }
        return (.array(disks), .array(adapters))
    }

    /// `00:15:5D:` and three octets derived from the VM and the adapter's place.
    private static func dynamicMAC(vmID: String, index: Int) -> String {
        let hex = GUIDText.derived("scvmm-mac/\(vmID)/\(index)").filter(\.isHexDigit).uppercased()
        let tail = stride(from: 0, to: 6, by: 2).map { String(hex.dropFirst($0).prefix(2)) }
        return (["00", "15", "5D"] + tail).joined(separator: ":")
    }
}
