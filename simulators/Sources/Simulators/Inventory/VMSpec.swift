/// One virtual machine as the inventory describes it.
public struct VMSpec: Sendable, Equatable, Codable {
    /// `ElementName`: the name shown in Hyper-V Manager and by libvirt.
    public var name: String
    /// `Msvm_ComputerSystem.Name` / `VirtualSystemIdentifier`, either case.
    public var guid: String
    /// `Msvm_VirtualSystemSettingData.BIOSGUID`, either case, with or without braces.
    public var biosGuid: String
    /// Initial `EnabledState`: 2 running, 3 off, 6 saved, 9 paused.
    public var enabledState: Int
    /// Virtual processors (`Msvm_ProcessorSettingData.VirtualQuantity`).
    public var vcpus: Int
    /// Startup memory in MiB (`Msvm_MemorySettingData.VirtualQuantity`).
    public var memoryMiB: Int
    /// Maximum memory in MiB (`Msvm_MemorySettingData.Limit`).
    public var maxMemoryMiB: Int
    /// `Msvm_VirtualSystemSettingData.Notes`.
    public var notes: String?

    /// Creates a VM description.
    public init(name: String, guid: String, biosGuid: String, enabledState: Int, vcpus: Int,
                memoryMiB: Int, maxMemoryMiB: Int, notes: String? = nil) {
        self.name = name
        self.guid = guid
        self.biosGuid = biosGuid
        self.enabledState = enabledState
        self.vcpus = vcpus
        self.memoryMiB = memoryMiB
        self.maxMemoryMiB = maxMemoryMiB
        self.notes = notes
    }
}
