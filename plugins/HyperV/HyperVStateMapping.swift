import BrokerCore

/// `Msvm_ComputerSystem.EnabledState` mapped honestly, v2 values included (libvirt's driver
/// shows 6 and 9 as "no state"); the raw value is kept as `backend_state`.
enum HyperVStateMapping {
    static func state(_ enabledState: Int) -> DomainState {
        switch enabledState {
        case 2: .running
        case 3: .shutoff
        case 6, 32769, 32779: .saved              // Saved (v2), Suspended (v1), FastSaved
        case 9, 32768: .paused                     // Quiesce/Paused (v2), Paused (v1)
        case 10, 32770: .starting                  // Starting
        case 4, 32774: .shuttingDown               // Shutting down / Stopping
        case 32773, 32780: .stopping               // Saving, FastSaving
        case 32776: .running                       // Pausing: still running until paused
        case 32777: .paused                        // Resuming: still paused until running
        case 32771: .running                       // Snapshotting
        default: .unknown
        }
    }

    /// The raw value as `backend_state`.
    static func raw(_ enabledState: Int) -> String { "EnabledState=\(enabledState)" }

    /// The `RequestedState` for an action (`RequestStateChange`); shutdown goes through
    /// `Msvm_ShutdownComponent` instead.
    static func requestedState(for action: DomainAction) -> Int? {
        switch action {
        case .start, .resume: 2
        case .destroy: 3
        case .save: 6
        case .suspend: 9
        case .reboot: 10
        case .reset: 11
        case .shutdown: nil
        }
    }
}
