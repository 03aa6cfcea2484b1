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
    /// 1 or 2 (`VirtualSystemSubType` `Microsoft:Hyper-V:SubType:1|2`); nil means 2.
    public var generation: Int?
    /// The virtual hard disks; nil means one, `C:\ProgramData\Microsoft\Windows\Virtual Hard Disks\<name>.vhdx`.
    public var disks: [VirtualDiskSpec]?
    /// The network adapters; nil means one with a dynamic MAC on `Default Switch`.
    public var nics: [NetworkAdapterSpec]?

    /// Creates a VM description.
    public init(name: String, guid: String, biosGuid: String, enabledState: Int, vcpus: Int,
                memoryMiB: Int, maxMemoryMiB: Int, notes: String? = nil, generation: Int? = nil,
                disks: [VirtualDiskSpec]? = nil, nics: [NetworkAdapterSpec]? = nil) {
        self.name = name
        self.guid = guid
        self.biosGuid = biosGuid
        self.enabledState = enabledState
        self.vcpus = vcpus
        self.memoryMiB = memoryMiB
        self.maxMemoryMiB = maxMemoryMiB
        self.notes = notes
        self.generation = generation
        self.disks = disks
        self.nics = nics
    }
}
