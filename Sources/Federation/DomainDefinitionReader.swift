import BrokerCore
import XML

/// Reads libvirt's domain XML — the one request format of a define, whichever door it came
/// through — into a `DomainDefinition`: what every backend can honour, with the device
/// elements named so a backend that cannot take one refuses it by name.
enum DomainDefinitionReader {
    /// The definition in `xml`; `invalid_argument` for anything that is not a domain with a name.
    static func read(_ xml: String) throws(BackendError) -> DomainDefinition {
        let root: XMLElement
        do {
            root = try XMLParser.parse(Array(xml.utf8), maxBytes: 1 << 20)
        } catch {
            throw BackendError(.invalidArgument, "the domain XML is not well-formed: \(error.message)")
        }
        guard root.name == "domain" else {
            throw BackendError(.invalidArgument, "the definition's root element is <\(root.name)>, not <domain>")
        }
        guard let name = root.child("name")?.text.trimmed, !name.isEmpty else {
            throw BackendError(.invalidArgument, "the domain XML has no <name>")
        }
        var uuid: String?
        if let text = root.child("uuid")?.text.trimmed, !text.isEmpty {
            guard Self.isUUID(text) else { throw BackendError(.invalidArgument, "<uuid>\(text)</uuid> is not a UUID") }
            uuid = text.lowercased()
        }
        let memory = try Self.kibibytes(root.child("memory"), element: "memory")
        guard let memory, memory > 0 else { throw BackendError(.invalidArgument, "the domain XML has no <memory>") }
        let current = try Self.kibibytes(root.child("currentMemory"), element: "currentMemory")
        let vcpuText = root.child("vcpu")?.text.trimmed ?? "1"
        guard let vcpus = Int(vcpuText), vcpus > 0 else { throw BackendError(.invalidArgument, "<vcpu>\(vcpuText)</vcpu> is not a count of CPUs") }
        let os = root.child("os")
        let uefi = os?.attributes["firmware"] == "efi" || os?.child("loader") != nil
        let description = root.child("description")?.text.trimmed
        let devices = root.child("devices")?.children ?? []
        var definition = DomainDefinition(
            xml: xml, name: name, uuid: uuid, memoryKiB: min(memory, current ?? memory), vcpus: vcpus, uefi: uefi,
            description: description?.isEmpty == false ? description : nil,
            devices: devices.map(\.name), disks: devices.filter { $0.name == "disk" }.map(Self.disk),
            interfaces: devices.filter { $0.name == "interface" }.map(Self.interface))
        let template = root.child("metadata")?.children.first { $0.name == "template" && $0.namespace == templateNamespace }?.text.trimmed
        definition.template = template?.isEmpty == false ? template : nil
        return definition
    }

    /// The namespace of virtfed's own elements in a domain's `<metadata>`.
    static let templateNamespace = "https://virtfed.dev/xmlns/domain/1"

    /// Where a definition named `backend/name` or `backend/host/name` goes, and the definition
    /// under its own name (the XML's `<name>` rewritten): how a define through the facade,
    /// which has no other place for it, names its backend.
    static func placement(of definition: DomainDefinition) throws(BackendError) -> (definition: DomainDefinition, backend: String, host: String?) {
        let parts = definition.name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts.contains(where: \.isEmpty) else {
            throw BackendError(.invalidArgument, "say which backend the VM '\(definition.name)' goes to: name it 'backend/name' "
                + "(or 'backend/host/name') in <name>, or give the backend with the call")
        }
        var placed = definition
        placed.name = parts[parts.count - 1]
        let xml = definition.xml
        guard let open = xml.range(of: "<name>"), let close = xml.range(of: "</name>", range: open.upperBound..<xml.endIndex) else {
            throw BackendError(.invalidArgument, "the domain XML's <name> cannot be rewritten")
        }
        placed.xml = xml.replacingCharacters(in: open.upperBound..<close.lowerBound, with: placed.name.xmlEscaped)
        return (placed, parts[0], parts.count == 3 ? parts[1] : nil)
    }

    /// A `<disk>`: its device, the image (`file`, `dev` or `name` of its `<source>`) and target.
    private static func disk(_ element: XMLElement) -> DefinedDisk {
        let device: DefinedDisk.Device = switch element.attributes["device"] ?? "disk" {
        case "disk": .disk
        case "cdrom": .cdrom
        case let other: .other(other)
        }
        let source = element.child("source").flatMap { $0.attributes["file"] ?? $0.attributes["dev"] ?? $0.attributes["name"] }
        let target = element.child("target")
        return DefinedDisk(device: device, source: source?.isEmpty == false ? source : nil,
                           target: target?.attributes["dev"], bus: target?.attributes["bus"])
    }

    /// An `<interface>`: its type, what its `<source>` names (network, bridge, or switch), MAC and model.
    private static func interface(_ element: XMLElement) -> DefinedInterface {
        let source = element.child("source")
        let network = source.flatMap { $0.attributes["network"] ?? $0.attributes["bridge"] ?? $0.attributes["switch"] ?? $0.attributes["dev"] }
        return DefinedInterface(type: element.attributes["type"] ?? "network", network: network?.isEmpty == false ? network : nil,
                                mac: element.child("mac")?.attributes["address"], model: element.child("model")?.attributes["type"])
    }

    /// A `<memory unit='…'>` value in KiB (libvirt's units; KiB when none is given).
    private static func kibibytes(_ element: XMLElement?, element name: String) throws(BackendError) -> UInt64? {
        guard let element else { return nil }
        guard let value = UInt64(element.text.trimmed) else {
            throw BackendError(.invalidArgument, "<\(name)>\(element.text.trimmed)</\(name)> is not a number")
        }
        let unit = (element.attributes["unit"] ?? "KiB").lowercased()
        let factor: (multiply: UInt64, divide: UInt64)
        switch unit {
        case "b", "bytes": factor = (1, 1024)
        case "k", "kib": factor = (1, 1)
        case "kb": factor = (1000, 1024)
        case "m", "mib": factor = (1024, 1)
        case "mb": factor = (1_000_000, 1024)
        case "g", "gib": factor = (1024 * 1024, 1)
        case "gb": factor = (1_000_000_000, 1024)
        case "t", "tib": factor = (1024 * 1024 * 1024, 1)
        default: throw BackendError(.invalidArgument, "<\(name) unit='\(unit)'>: unknown unit")
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor.multiply)
        guard !overflow else { throw BackendError(.invalidArgument, "<\(name)> is too large") }
        return product / factor.divide
    }

    private static func isUUID(_ text: String) -> Bool {
        let hex = text.filter { $0 != "-" }
        return hex.count == 32 && hex.allSatisfy(\.isHexDigit) && (text.count == 32 || text.count == 36)
    }
}

extension String {
    /// Without leading and trailing white space.
    var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
