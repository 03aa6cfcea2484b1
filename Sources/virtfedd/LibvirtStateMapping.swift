import BrokerCore

/// The federation's states and reasons in libvirt's enums (`virDomainState` and the
/// per-state `virDomain*Reason`, libvirt-domain.h). Reasons arrive as virsh's words (the
/// libvirt plugin's vocabulary) and go back to their number in the same table; a word libvirt
/// does not have becomes "unknown" (0).
enum LibvirtStateMapping {
    /// `virDomainState`.
    static func state(_ state: DomainState) -> Int32 {
        switch state {
        case .unknown, .starting: 0     // NOSTATE: not yet running, nothing else fits
        case .running: 1
        case .blocked: 2
        case .paused: 3
        case .shuttingDown, .stopping: 4  // SHUTDOWN: being shut down (or saved)
        case .shutoff, .saved: 5          // SHUTOFF; saved carries reason SAVED
        case .crashed: 6
        case .pmsuspended: 7
        }
    }

    /// The reason number for `state` given the backend's reason word.
    static func reason(_ state: DomainState, word: String?) -> Int32 {
        if state == .saved { return 5 }  // VIR_DOMAIN_SHUTOFF_SAVED
        guard let word = word?.lowercased() else { return 0 }
        let words: [String]
        switch state {
        case .running:
            words = ["unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
                     "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy", "post-copy failed"]
        case .paused:
            words = ["unknown", "user", "migrating", "saving", "dumping", "i/o error", "watchdog",
                     "from snapshot", "shutting down", "creating snapshot", "starting up", "post-copy",
                     "post-copy failed", "api error"]
        case .shuttingDown, .stopping:
            words = ["unknown", "user"]
        case .shutoff:
            words = ["unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot", "daemon"]
        case .crashed:
            words = ["unknown", "panicked"]
        default:
            words = ["unknown"]
        }
        return Int32(words.firstIndex(of: word) ?? 0)
    }
}
