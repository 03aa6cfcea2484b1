/// A VMM job that is not a power action: what it does, and what its completion does to the
/// model (`SCVMMModel+Changes`).
public enum SCVMMOperation: Sendable, Equatable {
    /// `New-SCVirtualMachine`: the VM shows `UnderCreation`, then `PowerOff`.
    case create
    /// `Remove-SCVirtualMachine`: the VM shows `Deleting`, then is gone.
    case remove
    /// `New-SCVMCheckpoint`: `CreatingCheckpoint`, then the state it had.
    case newCheckpoint
    /// `Restore-SCVMCheckpoint`: `RecoveringCheckpoint`, then `Saved` (a checkpoint taken while
    /// the VM ran) or `PowerOff`.
    case restoreCheckpoint(String)
    /// `Remove-SCVMCheckpoint`: `DeletingCheckpoint`, then the state it had.
    case removeCheckpoint(String)
    /// `Move-SCVirtualMachine`: `UnderMigration`, then the state it had, on the new host.
    case move(host: String)
    /// `Set-SCVirtualMachine -StartAction`: `UnderUpdate`, then the state it had, with `StartAction` set.
    case setStartAction(String)

    /// The job's `Name`, as VMM words it.
    public var jobName: String {
        switch self {
        case .create: "Create virtual machine"
        case .remove: "Remove virtual machine"
        case .newCheckpoint: "Create virtual machine checkpoint"
        case .restoreCheckpoint: "Restore virtual machine checkpoint"
        case .removeCheckpoint: "Remove virtual machine checkpoint"
        case .move: "Migrate virtual machine"
        case .setStartAction: "Change properties of virtual machine"
        }
    }

    /// The state the VM shows while the job runs.
    var transitional: VMComputerSystemState {
        switch self {
        case .create: .underCreation
        case .remove: .deleting
        case .newCheckpoint: .creatingCheckpoint
        case .restoreCheckpoint: .recoveringCheckpoint
        case .removeCheckpoint: .deletingCheckpoint
        case .move: .underMigration
        case .setStartAction: .underUpdate
        }
    }
}
