/// A virtual hard disk attached to a simulated VM, resolved from the inventory: one
/// `Msvm_StorageAllocationSettingData` and one `Win32_PerfRawData_Counters_HyperVVirtualStorageDevice`.
struct VirtualHardDisk: Sendable, Equatable {
    /// The VHD(X) path (`HostResource[0]`).
    var path: String
    /// Its location on the controller (`AddressOnParent`), 0 for the first disk.
    var location: Int
    /// The controller's GUID inside the `InstanceID`: the IDE controller's resource GUID on
    /// generation 1, a per-VM SCSI controller GUID on generation 2.
    var controllerID: String

    /// The performance instance name: the path with every `\` replaced by `-`, as the
    /// Hyper-V Virtual Storage Device counter set names its instances.
    var counterInstanceName: String { path.replacingOccurrences(of: "\\", with: "-") }
}
