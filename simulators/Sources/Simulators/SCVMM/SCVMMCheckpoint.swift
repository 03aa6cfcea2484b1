import Foundation

/// One VM checkpoint as VMM keeps it (`Get-SCVMCheckpoint`).
public struct SCVMMCheckpoint: Sendable, Equatable {
    /// `CheckpointID` (lowercase GUID).
    public var id: String
    /// `Name`.
    public var name: String
    /// `Description`.
    public var description: String
    /// `AddedTime`.
    public var added: Date
    /// `ParentCheckpointID`, nil for a root.
    public var parentID: String?
    /// The VM's state when it was taken (a running VM's checkpoint holds its memory).
    public var takenState: VMComputerSystemState
    /// The VM's processors and memory then, restored with it.
    public var cpuCount: Int
    public var memoryMB: Int

    /// The cmdlet output object, for the VM named `vmName` (ID `vmID`).
    func object(vmName: String, vmID: String) -> PSObject {
        PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.VMCheckpoint", properties: [
            PSProperty("Name", .string(name)), PSProperty("Description", .string(description)),
            PSProperty("CheckpointID", .string(id)), PSProperty("ParentCheckpointID", parentID.map(PSValue.string) ?? .null),
            PSProperty("AddedTime", .string("/Date(\(Int64(added.timeIntervalSince1970 * 1000)))/")),
            PSProperty("VM", .string(vmName)), PSProperty("VMId", .string(vmID)),
        ], display: name, reference: .checkpoint(id))
    }
}
