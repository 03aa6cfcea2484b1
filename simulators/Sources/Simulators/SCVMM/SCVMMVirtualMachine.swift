/// A VM as SCVMM knows it: the typed properties the simulator acts on, plus every other property
/// of the inventory record, carried through to `Select-Object` and `ConvertTo-Json` unchanged.
public struct SCVMMVirtualMachine: Sendable, Equatable {
    /// `Name`.
    public var name: String
    /// `ID`: SCVMM's object id (lowercase GUID).
    public var id: String
    /// `VMId`: the Hyper-V VM GUID (lowercase), nil when the inventory has none.
    public var vmID: String?
    /// `BiosGuid` (lowercase), nil when absent.
    public var biosGUID: String?
    /// `HostName`.
    public var hostName: String
    /// `CPUCount`.
    public var cpuCount: Int
    /// `Memory` in MB.
    public var memoryMB: Int
    /// `DynamicMemoryMaximumMB`, nil when dynamic memory is off.
    public var dynamicMemoryMaximumMB: Int?
    /// `VirtualMachineState`.
    public var state: VMComputerSystemState
    /// `Status`: follows the state unless the inventory gave a different one (UnsupportedCluster …).
    public var status: VMComputerSystemState
    /// Whether `status` is a fixed condition rather than a copy of `state`.
    public var statusIsCondition: Bool
    /// The other properties of the inventory record, in order (`VirtualHardDisks` and
    /// `VirtualNetworkAdapters` among them).
    public var extra: [PSProperty]
    /// When the VM last started (set by the model while it runs or is paused), the clock of its load.
    public var runningSince: ContinuousClock.Instant?
    /// Checkpoints made through the simulator, oldest first (an inventory record's own
    /// `VMCheckpoints` are carried through as they are until the first change).
    public var checkpoints: [SCVMMCheckpoint] = []
    /// `LastRestoredCheckpointID` once a checkpoint was restored here.
    public var lastRestoredCheckpointID: String?
    /// The checkpoint the VM runs on top of (the last made or restored): the next one's parent.
    public var currentCheckpointID: String?
    /// Whether checkpoints were changed here (then the typed ones replace the carried ones).
    public var checkpointsChanged = false

    /// Properties the simulator types itself; everything else is carried in `extra`.
    static let typedProperties: Set<String> = ["name", "id", "vmid", "biosguid", "hostname", "cpucount", "memory", "dynamicmemorymaximummb",
                                               "virtualmachinestate", "virtualmachinestatestring", "status", "statusstring",
                                               "virtualizationplatform", "virtualizationplatformstring", "dynamicmemoryenabled",
                                               "perfcpuutilization", "perfmemory", "perfdiskbytesread", "perfdiskbyteswrite"]

    /// `Status` now.
    public var currentStatus: VMComputerSystemState { statusIsCondition ? status : state }

    /// The cmdlet output object (`Get-SCVirtualMachine`), with the platform of its host and its
    /// performance as of `now` (see `SCVMMVirtualMachine+Performance`).
    func object(platform: VirtualizationPlatform, at now: ContinuousClock.Instant) -> PSObject {
        var properties = [
            PSProperty("Name", .string(name)), PSProperty("ID", .string(id)), PSProperty("VMId", vmID.map(PSValue.string) ?? .null),
            PSProperty("BiosGuid", biosGUID.map(PSValue.string) ?? .null), PSProperty("HostName", .string(hostName)),
            PSProperty("VirtualizationPlatform", platform.value), PSProperty("VirtualMachineState", state.value),
            PSProperty("Status", currentStatus.value), PSProperty("StatusString", .string(currentStatus.name)),
            PSProperty("VirtualMachineStateString", .string(state.name)), PSProperty("CPUCount", .int(cpuCount)),
            PSProperty("Memory", .int(memoryMB)), PSProperty("DynamicMemoryEnabled", .bool(dynamicMemoryMaximumMB != nil)),
            PSProperty("DynamicMemoryMaximumMB", dynamicMemoryMaximumMB.map(PSValue.int) ?? .null),
        ]
        properties += performance(at: now)
        var extra = extraWithAdapterPerformance(at: now)
        if checkpointsChanged {
            extra.removeAll { ["lastrestoredcheckpointid", "vmcheckpoints"].contains($0.name.lowercased()) }
            extra.append(PSProperty("LastRestoredCheckpointID", lastRestoredCheckpointID.map(PSValue.string) ?? .null))
            extra.append(PSProperty("VMCheckpoints", .array(checkpoints.map { .object($0.object(vmName: name, vmID: id)) })))
        }
        properties += extra
        return PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.VM", properties: properties, display: name,
                        reference: .virtualMachine(id))
    }
}
