import BrokerCore
import XML

/// The disks and network interfaces a domain's XML declares, as `DomainStats` describes them
/// (counters left empty): the source and target of each disk, the MAC, network or bridge and
/// target device of each interface. CD-ROMs and floppies are not disks here (no I/O to count).
struct LibvirtDevices: Sendable, Equatable {
    var disks: [DomainDisk] = []
    var interfaces: [DomainInterface] = []

    init() {}

    /// Reads the `<devices>` of a domain XML document.
    init(xml: String) throws(XMLError) {
        let root = try XMLParser.parse(Array(xml.utf8))
        guard let devices = root.child("devices") else { return }
        for disk in devices.children(named: "disk") where ["disk", "lun", nil].contains(disk.attributes["device"]) {
            guard let target = disk.child("target")?.attributes["dev"] else { continue }
            let source = disk.child("source").flatMap { source in
                source.attributes["file"] ?? source.attributes["dev"] ?? source.attributes["name"] ?? source.attributes["volume"]
            }
            disks.append(DomainDisk(target: target, source: source, bus: disk.child("target")?.attributes["bus"]))
        }
        for interface in devices.children(named: "interface") {
            let source = interface.child("source")
            interfaces.append(DomainInterface(
                target: interface.child("target")?.attributes["dev"],
                mac: interface.child("mac")?.attributes["address"],
                network: source.flatMap { $0.attributes["bridge"] ?? $0.attributes["network"] ?? $0.attributes["dev"] },
                model: interface.child("model")?.attributes["type"]
            ))
        }
    }
}
