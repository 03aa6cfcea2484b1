/// A virtual hard disk of a VM as the inventory lists it (`"disks": [{"path": "C:\\…\\x.vhdx"}]`).
public struct VirtualDiskSpec: Sendable, Equatable, Codable {
    /// The VHD(X) file: `Msvm_StorageAllocationSettingData.HostResource[0]`.
    public var path: String

    /// Creates a disk description.
    public init(path: String) { self.path = path }
}
