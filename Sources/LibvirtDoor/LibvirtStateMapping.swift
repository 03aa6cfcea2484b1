import BrokerCore
import LibvirtVocabulary

/// The federation's states and reasons in libvirt's enums (`virDomainState` and the
/// per-state `virDomain*Reason`, libvirt-domain.h). Reasons arrive as virsh's words (the
/// libvirt plugin's vocabulary) and go back to their number in the same table; a word libvirt
/// does not have becomes "unknown" (0).
enum LibvirtStateMapping {
    /// `virDomainState` (see `DomainState.libvirtState`).
    static func state(_ state: DomainState) -> Int32 { state.libvirtState }

    /// The reason number for `state` given the backend's reason word (any case).
    static func reason(_ state: DomainState, word: String?) -> Int32 {
        if state == .saved { return 5 }  // VIR_DOMAIN_SHUTOFF_SAVED
        guard let word = word?.lowercased() else { return 0 }
        return Int32(state.libvirtReasons.firstIndex { $0.lowercased() == word } ?? 0)
    }
}
