import BrokerCore
import LibvirtVocabulary
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
        guard let known = LibvirtDomainState(rawValue: raw), known != .noState else { return nil }
        let words = state(raw, reason: 0).libvirtReasons
        return words.indices.contains(Int(reason)) ? words[Int(reason)] : "\(reason)"
    }
}
