/// The devices a VM spec stands for, with the inventory's defaults filled in deterministically.
extension VMSpec {
    /// The IDE controller's resource GUID, in generation 1 disk `InstanceID`s.
    static let ideControllerID = "83F8638B-8DCA-4152-9EDA-2CA8B33039B4"

    /// The GUID of the SCSI controller of a generation 2 VM from the inventory.
    static func scsiControllerID(vm guid: String) -> String {
        GUIDText.derived("\(guid.lowercased())/scsi/0").uppercased()
    }

    /// `generation`, 2 when absent.
    var resolvedGeneration: Int { generation ?? 2 }

    /// The disks: as listed, or one at `C:\ProgramData\Microsoft\Windows\Virtual Hard Disks\<name>.vhdx`.
    /// `guid` is the VM's uppercase GUID.
    func resolvedDisks(guid: String) -> [VirtualHardDisk] {
        let paths = disks?.map(\.path) ?? [#"C:\ProgramData\Microsoft\Windows\Virtual Hard Disks\"# + name + ".vhdx"]
        let controller = resolvedGeneration == 1 ? Self.ideControllerID : Self.scsiControllerID(vm: guid)
        return paths.enumerated().map { VirtualHardDisk(path: $1, location: $0, controllerID: controller) }
    }

    /// The adapters: as listed, or one with a dynamic MAC on `Default Switch`. A dynamic MAC is
    /// `00155D` (Hyper-V's prefix) + the GUID's last 6 hex digits, plus the adapter's index.
    /// Adapter GUIDs are derived from the VM's GUID and the adapter's index.
    func resolvedAdapters(guid: String) -> [VirtualNetworkAdapter] {
        let specs = nics ?? [NetworkAdapterSpec()]
        let low = Int(String(guid.filter(\.isHexDigit).suffix(6)), radix: 16) ?? 0
        return specs.enumerated().map { index, nic in
            let given = nic.mac.flatMap(NetworkAdapterSpec.normalizedMAC)
            let suffix = String((low + index) & 0xFFFFFF, radix: 16, uppercase: true)
            let derived = "00155D" + String(repeating: "0", count: 6 - suffix.count) + suffix
            return VirtualNetworkAdapter(id: GUIDText.derived("\(guid.lowercased())/nic/\(index)").uppercased(),
                                         mac: given ?? derived, staticMAC: given != nil,
                                         switchName: nic.switch ?? VirtualNetworkAdapter.defaultSwitchName)
        }
    }
}
