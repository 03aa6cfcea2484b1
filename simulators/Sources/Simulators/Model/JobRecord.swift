import Foundation

/// One simulated `Msvm_ConcreteJob`: a state change that completes after `duration`.
struct JobRecord: Sendable {
    /// What the job does.
    enum Kind: Sendable { case requestStateChange(Int), shutdown }

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

    /// Whether `RequestStateChange(4|5)` may terminate it: state changes can be, a guest
    /// shutdown (handed to the guest's integration service) cannot.
    var cancellable: Bool {
        if case .requestStateChange = kind { true } else { false }
    }

    /// `ElementName`/`Caption` text, as Hyper-V words them.
    var caption: String {
        switch kind {
        case .shutdown: "Initiating Shutdown"
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
