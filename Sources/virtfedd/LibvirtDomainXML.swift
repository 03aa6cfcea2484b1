import Foundation
import BrokerAPI
import XML

/// Domain XML for the facade. A libvirt backend's own XML is passed on with the federated
/// name and id put in; for other backends (Hyper-V, SCVMM) a definition is synthesized in
/// libvirt's domain schema from what the federation knows: name, UUID, memory, vCPUs, OS type.
enum LibvirtDomainXML {
    /// The backend's XML with the root element's id and the `<name>` replaced.
    static func federate(_ xml: String, record: DomainRecord, id: Int32) -> String {
        var text = xml
        if let open = text.range(of: "<domain"), let close = text[open.upperBound...].firstIndex(of: ">") {
            var tag = String(text[open.lowerBound...close])
            if let idRange = tag.range(of: #" id=['"][0-9]+['"]"#, options: .regularExpression) { tag.removeSubrange(idRange) }
            if id >= 0 { tag = tag.replacingOccurrences(of: "<domain", with: "<domain id='\(id)'", options: [], range: tag.range(of: "<domain")) }
            text.replaceSubrange(open.lowerBound...close, with: tag)
        }
        if let start = text.range(of: "<name>"), let end = text.range(of: "</name>", range: start.upperBound..<text.endIndex) {
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: record.name.xmlEscaped)
        }
        return text
    }

    /// A definition from the record alone.
    static func synthesize(_ record: DomainRecord, id: Int32) -> String {
        let maxMemory = max(record.maxMemoryKiB, record.memoryKiB)
        var lines = ["<domain type='\(domainType(record.platform))'\(id >= 0 ? " id='\(id)'" : "")>"]
        lines.append("  <name>\(record.name.xmlEscaped)</name>")
        lines.append("  <uuid>\(record.uuid.xmlEscaped)</uuid>")
        lines.append("  <description>\("\(record.platform ?? "unknown platform") VM on host \(record.host), through backend \(record.backend)".xmlEscaped)</description>")
        lines.append("  <memory unit='KiB'>\(maxMemory)</memory>")
        lines.append("  <currentMemory unit='KiB'>\(record.memoryKiB)</currentMemory>")
        lines.append("  <vcpu placement='static'>\(max(record.vcpus, 1))</vcpu>")
        lines.append("  <os>")
        lines.append("    <type arch='x86_64'>hvm</type>")
        lines.append("  </os>")
        lines.append("  <devices>")
        lines.append("  </devices>")
        lines.append("</domain>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The schema's domain type for a platform name.
    static func domainType(_ platform: String?) -> String {
        let lowered = platform?.lowercased() ?? ""
        if lowered.contains("hyper-v") || lowered.contains("hyperv") { return "hyperv" }
        if lowered.contains("vmware") || lowered.contains("esx") { return "vmware" }
        if lowered == "qemu" || lowered == "kvm" || lowered == "xen" || lowered == "lxc" { return lowered }
        return "test"
    }
}
