import BrokerCore
import Libvirt

/// libvirt's `virDomainState` and reasons mapped to the federation's tokens. A shut-off
/// domain whose reason is `saved` (managed save) is `saved`, never folded into shutoff.
enum LibvirtStateMapping {
    static func state(_ raw: Int32, reason: Int32) -> DomainState {
        switch LibvirtDomainState(rawValue: raw) {
        case .running: .running
        case .blocked: .blocked
        case .paused: .paused
        case .shutdown: .shuttingDown
        case .shutoff: reason == LibvirtDomainState.shutoffReasonSaved ? .saved : .shutoff
        case .crashed: .crashed
        case .pmSuspended: .pmsuspended
        case .noState, nil: .unknown
        }
    }

    /// libvirt's own name for the raw state, kept as `backend_state`.
    static func rawName(_ raw: Int32) -> String {
        switch LibvirtDomainState(rawValue: raw) {
        case .noState: "VIR_DOMAIN_NOSTATE"
        case .running: "VIR_DOMAIN_RUNNING"
        case .blocked: "VIR_DOMAIN_BLOCKED"
        case .paused: "VIR_DOMAIN_PAUSED"
        case .shutdown: "VIR_DOMAIN_SHUTDOWN"
        case .shutoff: "VIR_DOMAIN_SHUTOFF"
        case .crashed: "VIR_DOMAIN_CRASHED"
        case .pmSuspended: "VIR_DOMAIN_PMSUSPENDED"
        case nil: "\(raw)"
        }
    }

    /// The reason in virsh's words (`virsh domstate --reason`).
    static func reason(state raw: Int32, reason: Int32) -> String? {
        let words: [String]
        switch LibvirtDomainState(rawValue: raw) {
        case .running:
            words = ["unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
                     "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy"]
        case .paused:
            words = ["unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
                     "from snapshot", "shutting down", "creating snapshot", "starting up", "post-copy",
                     "post-copy failed", "api error"]
        case .shutdown:
            words = ["unknown", "user"]
        case .shutoff:
            words = ["unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
                     "from snapshot", "daemon"]
        case .crashed:
            words = ["unknown", "panicked"]
        case .blocked, .pmSuspended:
            words = ["unknown"]
        case .noState, nil:
            return nil
        }
        return words.indices.contains(Int(reason)) ? words[Int(reason)] : "\(reason)"
    }
}
