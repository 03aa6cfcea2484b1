import BrokerCore
import CLibvirt

/// libvirt's `virDomainState` and reasons mapped to the federation's tokens. A shut-off
/// domain whose reason is `saved` (managed save) is `saved`, never folded into shutoff.
enum LibvirtStateMapping {
    static func state(_ raw: Int32, reason: Int32) -> DomainState {
        switch virDomainState(rawValue: UInt32(bitPattern: raw)) {
        case VIR_DOMAIN_RUNNING: .running
        case VIR_DOMAIN_BLOCKED: .blocked
        case VIR_DOMAIN_PAUSED: .paused
        case VIR_DOMAIN_SHUTDOWN: .shuttingDown
        case VIR_DOMAIN_SHUTOFF: reason == Int32(VIR_DOMAIN_SHUTOFF_SAVED.rawValue) ? .saved : .shutoff
        case VIR_DOMAIN_CRASHED: .crashed
        case VIR_DOMAIN_PMSUSPENDED: .pmsuspended
        default: .unknown
        }
    }

    /// libvirt's own name for the raw state, kept as `backend_state`.
    static func rawName(_ raw: Int32) -> String {
        switch virDomainState(rawValue: UInt32(bitPattern: raw)) {
        case VIR_DOMAIN_NOSTATE: "VIR_DOMAIN_NOSTATE"
        case VIR_DOMAIN_RUNNING: "VIR_DOMAIN_RUNNING"
        case VIR_DOMAIN_BLOCKED: "VIR_DOMAIN_BLOCKED"
        case VIR_DOMAIN_PAUSED: "VIR_DOMAIN_PAUSED"
        case VIR_DOMAIN_SHUTDOWN: "VIR_DOMAIN_SHUTDOWN"
        case VIR_DOMAIN_SHUTOFF: "VIR_DOMAIN_SHUTOFF"
        case VIR_DOMAIN_CRASHED: "VIR_DOMAIN_CRASHED"
        case VIR_DOMAIN_PMSUSPENDED: "VIR_DOMAIN_PMSUSPENDED"
        default: "\(raw)"
        }
    }

    /// The reason in virsh's words (`virsh domstate --reason`).
    static func reason(state raw: Int32, reason: Int32) -> String? {
        let words: [String]
        switch virDomainState(rawValue: UInt32(bitPattern: raw)) {
        case VIR_DOMAIN_RUNNING:
            words = ["unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
                     "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy"]
        case VIR_DOMAIN_BLOCKED:
            words = ["unknown"]
        case VIR_DOMAIN_PAUSED:
            words = ["unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
                     "from snapshot", "shutting down", "creating snapshot", "starting up", "post-copy",
                     "post-copy failed", "api error"]
        case VIR_DOMAIN_SHUTDOWN:
            words = ["unknown", "user"]
        case VIR_DOMAIN_SHUTOFF:
            words = ["unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
                     "from snapshot", "daemon"]
        case VIR_DOMAIN_CRASHED:
            words = ["unknown", "panicked"]
        case VIR_DOMAIN_PMSUSPENDED:
            words = ["unknown"]
        default:
            return nil
        }
        return words.indices.contains(Int(reason)) ? words[Int(reason)] : "\(reason)"
    }
}
