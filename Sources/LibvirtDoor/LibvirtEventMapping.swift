import BrokerCore
import LibvirtVocabulary

/// The federation's event words as libvirt's `virDomainEventType` and detail numbers. A detail
/// libvirt does not have becomes 0 (`saved` without a detail is stopped/saved).
enum LibvirtEventMapping {
    static func lifecycle(_ type: DomainEventType, detail: String?) -> (event: Int32, detail: Int32)? {
        let word = detail ?? (type == .saved ? "saved" : "")
        let fallback = type == .saved ? type.libvirtDetails.firstIndex(of: "saved")! : 0
        return (type.libvirtNumber, Int32(type.libvirtDetails.firstIndex(of: word) ?? fallback))
    }
}
