import Foundation
import BrokerAPI
import XML

/// Domain XML for the facade: the service's XML (a libvirt backend's own, or synthesized)
/// with the federated name and the facade's id put in.
enum LibvirtDomainXML {
    /// The backend's XML with the root element's id and the `<name>` replaced; the id goes
    /// after the other attributes, where libvirt writes it (`<domain type='kvm' id='1'>`).
    static func federate(_ xml: String, record: DomainRecord, id: Int32) -> String {
        var text = xml
        if let open = text.range(of: "<domain"), let close = text[open.upperBound...].firstIndex(of: ">") {
            var tag = String(text[open.lowerBound..<close])
            if let idRange = tag.range(of: #" id=['"][0-9]+['"]"#, options: .regularExpression) { tag.removeSubrange(idRange) }
            if id >= 0 { tag += " id='\(id)'" }
            text.replaceSubrange(open.lowerBound...close, with: tag + ">")
        }
        if let start = text.range(of: "<name>"), let end = text.range(of: "</name>", range: start.upperBound..<text.endIndex) {
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: record.name.xmlEscaped)
        }
        return text
    }
}
