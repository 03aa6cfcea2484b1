/// Which `RequestStateChange` requests Hyper-V accepts from which `EnabledState`, and the
/// transitional state a VM shows while the job runs.
public enum StateTransition: Sendable, Equatable {
    /// Accepted: the VM shows `transitional` until the job completes, then `target`.
    case accepted(transitional: Int, target: Int)
    /// Refused with a `RequestStateChange` return value and no job.
    case refused(returnValue: Int)

    /// `ReturnValue` 4097: invalid state transition (e.g. pausing a stopped VM).
    public static let invalidStateTransition = 4097
    /// `ReturnValue` 32773: invalid parameter (a `RequestedState` the simulator does not know).
    public static let invalidParameter = 32773
    /// `ReturnValue` 32775: invalid state for this operation (a job is already in flight).
    public static let invalidState = 32775

    /// The outcome of requesting `requested` (2 start/resume, 3 off, 6 save, 9 pause, 10 reboot,
    /// 11 reset) of a VM in steady state `current` (2, 3, 6 or 9).
    public static func plan(current: Int, requested: Int) -> StateTransition {
        switch (requested, current) {
        case (2, 9): .accepted(transitional: 32777, target: 2)          // resume: Resuming
        case (2, 3), (2, 6): .accepted(transitional: 32770, target: 2)  // start: Starting
        case (3, 2), (3, 9): .accepted(transitional: 32774, target: 3)  // turn off: Stopping
        case (3, 6): .accepted(transitional: 32774, target: 3)          // discard saved state
        case (6, 2), (6, 9): .accepted(transitional: 32773, target: 6)  // save: Saving
        case (9, 2): .accepted(transitional: 32776, target: 9)          // pause: Pausing
        case (10, 2), (11, 2): .accepted(transitional: 32770, target: 2) // reboot / reset
        case (2, _), (3, _), (6, _), (9, _), (10, _), (11, _): .refused(returnValue: invalidStateTransition)
        default: .refused(returnValue: invalidParameter)
        }
    }

    /// `InitiateShutdown`: only a running VM can be shut down; it shows Stopping, then Off.
    public static func planShutdown(current: Int) -> StateTransition {
        current == 2 ? .accepted(transitional: 32774, target: 3) : .refused(returnValue: invalidStateTransition)
    }
}
