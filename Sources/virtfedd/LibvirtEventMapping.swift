import BrokerCore

/// The federation's event words in libvirt's `virDomainEventType` and per-type detail enums
/// (libvirt-domain.h); the word lists are in libvirt's enum order, so a detail's index is
/// its number. A detail libvirt does not have becomes 0.
enum LibvirtEventMapping {
    static func lifecycle(_ type: DomainEventType, detail: String?) -> (event: Int32, detail: Int32)? {
        let (event, words): (Int32, [String]) = switch type {
        case .defined: (0, ["added", "updated", "renamed", "snapshot"])
        case .undefined: (1, ["removed", "renamed"])
        case .started: (2, ["booted", "migrated", "restored", "snapshot", "wakeup"])
        case .suspended: (3, ["paused", "migrated", "ioerror", "watchdog", "restored", "snapshot", "api error", "post-copy", "post-copy-error"])
        case .resumed: (4, ["unpaused", "migrated", "snapshot", "post-copy", "post-copy-error"])
        case .stopped: (5, ["shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "snapshot"])
        case .saved: (5, ["shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "snapshot"])
        case .shutdown: (6, ["finished", "guest", "host"])
        case .pmsuspended: (7, ["memory", "disk"])
        case .crashed: (8, ["panicked", "crashloaded"])
        }
        let word = detail ?? (type == .saved ? "saved" : "")
        return (event, Int32(words.firstIndex(of: word) ?? (type == .saved ? 4 : 0)))
    }
}
