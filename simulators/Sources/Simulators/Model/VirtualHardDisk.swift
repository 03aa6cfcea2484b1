/// An image in a drive of a simulated VM — a virtual hard disk, or an ISO in an optical
/// drive: one `Msvm_StorageAllocationSettingData`, and for a hard disk one
/// `Win32_PerfRawData_Counters_HyperVVirtualStorageDevice`.
struct VirtualHardDisk: Sendable, Equatable {
    /// The VHD(X) or ISO path (`HostResource[0]`).
    var path: String
    /// Its location on the controller (`AddressOnParent`), 0 for the first disk.
    var location: Int
    /// The controller's GUID inside the `InstanceID`: the IDE controller's resource GUID on
    /// generation 1, a per-VM SCSI controller GUID on generation 2.
    var controllerID: String
    /// The controller's index among those of its GUID (IDE 0 or 1; 0 for SCSI).
    var controllerIndex = 0
    /// An ISO in an optical drive rather than a hard disk image.
    var optical = false

    /// The performance instance name: the path with every `\` replaced by `-`, as the
    /// Hyper-V Virtual Storage Device counter set names its instances.
    var counterInstanceName: String { path.replacingOccurrences(of: "\\", with: "-") }

    /// The drive it is in.
    var drive: VirtualDrive { VirtualDrive(controllerID: controllerID, controllerIndex: controllerIndex, location: location, optical: optical) }
}
