import BrokerAPI
import BrokerCore
import Foundation
import LibvirtRemote
import XML

/// Host-level answers: the federation as one node, its capabilities, domain XML.
extension LibvirtFacadeClient {
    /// NODE_GET_INFO for the whole federation: CPUs and memory summed over every backend's
    /// host, the fastest clock, the first backend's CPU model (or "mixed"). Shown as one NUMA
    /// node of one socket, so that nodes × sockets × cores × threads = cpus.
    func federationNodeInfo() async -> NodeInfoReply {
        let names = await service.backends().map(\.name)
        let nodes = await withTaskGroup(of: NodeInfo?.self) { group in
            for name in names {
                group.addTask { try? await self.service.nodeInfo(backend: name).node }
            }
            var all: [NodeInfo] = []
            for await node in group { if let node { all.append(node) } }
            return all
        }
        let cpus = nodes.reduce(0) { $0 + $1.cpus }
        let models = Set(nodes.map(\.cpuModel))
        return NodeInfoReply(model: models.count == 1 ? models.first! : (models.isEmpty ? "unknown" : "mixed"),
                             memoryKiB: nodes.reduce(0) { $0 + $1.memoryKiB }, cpus: Int32(cpus),
                             mhz: Int32(nodes.map(\.mhz).max() ?? 0), nodes: 1, sockets: 1, cores: Int32(cpus), threads: 1)
    }

    /// A capabilities document: the host's architecture, and `hvm` guests for it (and, on
    /// x86_64, i686, as libvirt lists them). The guests' domain type is `test`: libvirt's
    /// capability schema has no `hyperv` or `vmware` guest type, and the document must validate.
    func capabilities() async throws -> String {
        var system = utsname()
        uname(&system)
        let machine = withUnsafeBytes(of: &system.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let arches = machine == "x86_64" ? [("x86_64", 64), ("i686", 32)] : [(machine, 64)]
        var lines = ["<capabilities>", "  <host>", "    <cpu>", "      <arch>\(machine.xmlEscaped)</arch>", "    </cpu>", "  </host>"]
        for (arch, wordsize) in arches {
            lines += ["  <guest>", "    <os_type>hvm</os_type>", "    <arch name='\(arch.xmlEscaped)'>", "      <wordsize>\(wordsize)</wordsize>"]
            lines.append("      <domain type='test'/>")
            lines += ["    </arch>", "  </guest>"]
        }
        lines.append("</capabilities>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The domain's XML from the service (the backend's own, or synthesized), with the
    /// federated name and id put in.
    func xml(_ dom: NonnullDomain) async throws -> String {
        let record = try await record(dom)
        return LibvirtDomainXML.federate(try await service.xml(record.uuid), record: record, id: wire(record).id)
    }
}
