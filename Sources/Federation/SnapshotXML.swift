import BrokerCore
import XML

/// libvirt's snapshot XML both ways: a `<domainsnapshot>` request (what virsh and virt-manager
/// send) read into a `SnapshotRequest`, and a snapshot written for backends that have no XML
/// of their own (Hyper-V, SCVMM) — name, description, state, parent, creation time and the
/// VM it belongs to, which is what virt-manager's snapshot page shows.
enum SnapshotXML {
    /// The request in a `<domainsnapshot>` document (an empty one lets the backend name it).
    static func request(_ xml: String) throws(BackendError) -> SnapshotRequest {
        guard !xml.trimmed.isEmpty else { return SnapshotRequest(name: nil) }
        let root: XMLElement
        do {
            root = try XMLParser.parse(Array(xml.utf8), maxBytes: 1 << 20)
        } catch {
            throw BackendError(.invalidArgument, "the snapshot XML is not well-formed: \(error.message)")
        }
        guard root.name == "domainsnapshot" else {
            throw BackendError(.invalidArgument, "the snapshot's root element is <\(root.name)>, not <domainsnapshot>")
        }
        let name = root.child("name")?.text.trimmed
        let description = root.child("description")?.text.trimmed
        return SnapshotRequest(name: name?.isEmpty == false ? name : nil, description: description?.isEmpty == false ? description : nil)
    }

    /// `snapshot` of the VM named `domain` (UUID `uuid`) in libvirt's snapshot schema.
    static func xml(_ snapshot: DomainSnapshot, domain: String, uuid: String) -> String {
        var lines = ["<domainsnapshot>", "  <name>\(snapshot.name.xmlEscaped)</name>"]
        if let description = snapshot.description { lines.append("  <description>\(description.xmlEscaped)</description>") }
        lines.append("  <state>\(Self.state(snapshot.state))</state>")
        if let parent = snapshot.parent { lines.append("  <parent>\n    <name>\(parent.xmlEscaped)</name>\n  </parent>") }
        if let time = snapshot.creationTime { lines.append("  <creationTime>\(time)</creationTime>") }
        lines.append("  <memory snapshot='\(snapshot.state?.isActive == true ? "internal" : "no")'/>")
        lines.append("  <domain>\n    <name>\(domain.xmlEscaped)</name>\n    <uuid>\(uuid.xmlEscaped)</uuid>\n  </domain>")
        lines.append("</domainsnapshot>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// libvirt's snapshot state words (`running`, `paused`, `shutoff` …).
    private static func state(_ state: DomainState?) -> String {
        switch state {
        case .running?, .stopping?: "running"
        case .blocked?: "blocked"
        case .paused?: "paused"
        case .shuttingDown?: "shutdown"
        case .crashed?: "crashed"
        case .pmsuspended?: "pmsuspended"
        case .saved?, .shutoff?, .starting?, nil: "shutoff"
        case .unknown?: "nostate"
        }
    }
}
