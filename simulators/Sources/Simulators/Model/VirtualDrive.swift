/// A drive of a simulated VM (`Msvm_ResourceAllocationSettingData`, `Synthetic Disk Drive` or
/// `Synthetic DVD Drive`) at a location of one of its controllers; an image goes in it.
struct VirtualDrive: Sendable, Equatable {
    /// The controller's resource GUID (see `VirtualHardDisk.controllerID`).
    var controllerID: String
    /// The controller's index among those of its GUID.
    var controllerIndex: Int
    /// `AddressOnParent`.
    var location: Int
    /// A DVD drive rather than a hard disk drive.
    var optical: Bool

    /// `Microsoft:<VM>\<controller>\<index>\<location>\D`, Hyper-V's drive `InstanceID`.
    func instanceID(vm guid: String) -> String {
        #"Microsoft:\#(guid)\\#(controllerID)\\#(controllerIndex)\\#(location)\D"#
    }

    /// Whether it sits where `other` does.
    func occupies(sameSlotAs other: VirtualDrive) -> Bool {
        controllerID == other.controllerID && controllerIndex == other.controllerIndex && location == other.location
    }
}
