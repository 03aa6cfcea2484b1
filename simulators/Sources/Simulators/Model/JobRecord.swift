import Foundation

/// One simulated `Msvm_ConcreteJob`: a state change that completes after `duration`.
struct JobRecord: Sendable {
    /// What the job does.
    enum Kind: Sendable, Equatable {
        case requestStateChange(Int), shutdown
        /// `DefineSystem`, `DestroySystem`, `CreateSnapshot`, `ApplySnapshot`, `DestroySnapshot`,
        /// `DestroySnapshotTree`, `MigrateVirtualSystemToHost`: their effect is made when they
        /// are invoked (or, for a migration, when the destination took the VM); the job only
        /// reports it.
        case define, destroy, snapshot, applySnapshot, destroySnapshot, destroySnapshotTree, migrate, addResources
    }

    /// Uppercase GUID, the `InstanceID`.
    var id: String
    /// The VM it acts on (uppercase GUID).
    var vmGUID: String
    /// The operation.
    var kind: Kind
    /// The `EnabledState` the VM reaches on completion.
    var targetState: Int
    /// When it was submitted.
    var submitted: ContinuousClock.Instant
    /// `TimeSubmitted`.
    var submittedDate: Date
    /// How long it runs.
    var duration: Duration
    /// Set once completed (the VM has then reached `targetState`, or is back where it was).
    var completedAt: ContinuousClock.Instant?
    /// Whether the job ends in JobState 10 (Exception) instead of 7, the VM left unchanged.
    var fails = false
    /// The VM's `EnabledState` before the job, restored when it fails or is terminated.
    var previousState = 0
    /// Set when `RequestStateChange(4)` terminated it (JobState 8).
    var terminated = false
    /// A failure decided by the operation itself (JobState 10 with this `ErrorCode` and
    /// `ErrorDescription`), e.g. a migration whose destination cannot be reached.
    var failure: (code: Int, description: String)?
    /// A job whose end is decided elsewhere (a migration waits for the destination): the clock
    /// does not complete it; `HyperVModel.settle(job:)` does.
    var awaitsOutcome = false

    /// Whether completing it moves its VM to `targetState` (the power operations).
    var changesState: Bool {
        switch kind {
        case .requestStateChange, .shutdown: true
        default: false
        }
    }

    /// Whether `RequestStateChange(4|5)` may terminate it: state changes can be, a guest
    /// shutdown (handed to the guest's integration service) cannot.
    var cancellable: Bool {
        if case .requestStateChange = kind { true } else { false }
    }

    /// `JobType`: 1 for a guest shutdown, 2 for a state change, Hyper-V's job types otherwise
    /// (1 define, 3 destroy, 70 snapshot, 71 apply, 72 destroy snapshot, 300 migration:
    /// plausible values, unverified).
    var jobType: Int {
        switch kind {
        case .shutdown: 1
        case .requestStateChange: 2
        case .define, .addResources: 1
        case .destroy: 3
        case .snapshot: 70
        case .applySnapshot: 71
        case .destroySnapshot, .destroySnapshotTree: 72
        case .migrate: 300
        }
    }

    /// `ElementName`/`Caption` text, as Hyper-V words them.
    var caption: String {
        switch kind {
        case .shutdown: "Initiating Shutdown"
        case .define: "Creating Virtual Machine"
        case .addResources: "Adding Device"
        case .destroy: "Deleting Virtual Machine"
        case .snapshot: "Creating Checkpoint"
        case .applySnapshot: "Applying Checkpoint"
        case .destroySnapshot: "Deleting Checkpoint"
        case .destroySnapshotTree: "Deleting Checkpoint Subtree"
        case .migrate: "Moving Virtual Machine"
        case .requestStateChange(let state):
            switch state {
            case 2: "Turning On"
            case 3: "Turning Off"
            case 6: "Saving"
            case 9: "Pausing"
            case 10: "Restarting"
            case 11: "Resetting"
            default: "Changing State"
            }
        }
    }
}
