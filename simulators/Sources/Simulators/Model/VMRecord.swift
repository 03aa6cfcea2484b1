import Foundation

/// The mutable state of one simulated VM.
struct VMRecord: Sendable {
    /// The inventory entry (name, sizes, GUIDs).
    var spec: VMSpec
    /// Uppercase GUID, as Hyper-V writes `Name` and `VirtualSystemIdentifier`.
    var guid: String
    /// Uppercase BIOS GUID without braces.
    var biosGuid: String
    /// Current `EnabledState`.
    var enabledState: Int
    /// `RequestedState`: what was last asked for (12 "Not Applicable" when idle).
    var requestedState: Int = 12
    /// The job in flight, if any.
    var pendingJob: String?
    /// The worker process id while the VM has one (running, paused, in transition).
    var processID: Int?
    /// When the VM last started (for `OnTimeInMilliseconds`).
    var runningSince: ContinuousClock.Instant?
    /// `TimeOfLastStateChange`.
    var lastStateChange: Date
}
