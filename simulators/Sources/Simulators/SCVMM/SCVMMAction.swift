/// A power operation of the VMM cmdlets, with the states it starts from, the transitional state the
/// VM shows while its job runs, and the state it ends in.
public enum SCVMMAction: String, Sendable, CaseIterable {
    /// `Start-SCVirtualMachine`.
    case start
    /// `Stop-SCVirtualMachine -Shutdown` (guest shutdown).
    case shutdown
    /// `Stop-SCVirtualMachine` / `-Force` (turn off; discards a saved state).
    case stop
    /// `Stop-SCVirtualMachine -SaveState`.
    case save
    /// `Suspend-SCVirtualMachine`.
    case suspend
    /// `Resume-SCVirtualMachine`.
    case resume
    /// `Reset-SCVirtualMachine`.
    case reset

    /// The job's `Name`.
    public var jobName: String {
        switch self {
        case .start: "Start virtual machine"
        case .shutdown: "Shut down virtual machine"
        case .stop: "Stop virtual machine"
        case .save: "Save state virtual machine"
        case .suspend: "Pause virtual machine"
        case .resume: "Resume virtual machine"
        case .reset: "Reset virtual machine"
        }
    }

    /// The transitional state when started from `state`, or nil when the action is not allowed then.
    public func transitional(from state: VMComputerSystemState) -> VMComputerSystemState? {
        switch (self, state) {
        case (.start, .powerOff): .starting
        case (.start, .saved): .restoring
        case (.shutdown, .running): .poweringOff
        case (.stop, .running), (.stop, .paused): .poweringOff
        case (.stop, .saved): .discardSavedState
        case (.save, .running), (.save, .paused): .saving
        case (.suspend, .running): .pausing
        case (.resume, .paused): .starting
        case (.reset, .running): .reset
        default: nil
        }
    }

    /// The state reached when the job completes.
    public var target: VMComputerSystemState {
        switch self {
        case .start, .resume, .reset: .running
        case .shutdown, .stop: .powerOff
        case .save: .saved
        case .suspend: .paused
        }
    }
}
