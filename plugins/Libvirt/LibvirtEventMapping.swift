import BrokerCore
import Libvirt

/// libvirt's lifecycle events (`virDomainEventType` and its detail enums) in the federation's
/// words: the type is libvirt's own, but a stop that is a managed save is `saved`; the detail
/// is the word `virsh event` prints.
enum LibvirtEventMapping {
    static func event(_ raw: LibvirtLifecycleEvent) -> DomainEvent? {
        let details: [String]
        let type: DomainEventType
        switch raw.event {
        case 0: (type, details) = (.defined, ["added", "updated", "renamed", "snapshot"])
        case 1: (type, details) = (.undefined, ["removed", "renamed"])
        case 2: (type, details) = (.started, ["booted", "migrated", "restored", "snapshot", "wakeup"])
        case 3: (type, details) = (.suspended, ["paused", "migrated", "ioerror", "watchdog", "restored", "snapshot", "api error", "post-copy", "post-copy-error"])
        case 4: (type, details) = (.resumed, ["unpaused", "migrated", "snapshot", "post-copy", "post-copy-error"])
        case 5: (type, details) = (.stopped, ["shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "snapshot"])
        case 6: (type, details) = (.shutdown, ["finished", "guest", "host"])
        case 7: (type, details) = (.pmsuspended, ["memory", "disk"])
        case 8: (type, details) = (.crashed, ["panicked", "crashloaded"])
        default: return nil
        }
        let detail = details.indices.contains(Int(raw.detail)) ? details[Int(raw.detail)] : "unknown"
        let federated: DomainEventType = (type == .stopped && detail == "saved") ? .saved : type
        return DomainEvent(uuid: raw.uuid, name: raw.name, type: federated, detail: detail)
    }
}
