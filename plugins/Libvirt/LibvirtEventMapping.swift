import BrokerCore
import LibvirtVocabulary
import Libvirt

/// libvirt's lifecycle events in the federation's words: libvirt's own type and detail words,
/// except that a stop which is a managed save is `saved`.
enum LibvirtEventMapping {
    static func event(_ raw: LibvirtLifecycleEvent) -> DomainEvent? {
        guard let type = DomainEventType(libvirtNumber: raw.event) else { return nil }
        let details = type.libvirtDetails
        let detail = details.indices.contains(Int(raw.detail)) ? details[Int(raw.detail)] : "unknown"
        return DomainEvent(uuid: raw.uuid, name: raw.name, type: type == .stopped && detail == "saved" ? .saved : type, detail: detail)
    }
}
