import BrokerAPI
import BrokerCore
import Foundation
import LibvirtRemote
import XML

/// Host-level answers: the federation as one node, its capabilities, domain XML and stats.
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

    /// CONNECT_GET_ALL_DOMAIN_STATS: `{remote_nonnull_domain doms<>; unsigned stats; unsigned flags}`
    /// → `{remote_domain_stats_record retStats<>}`, each `{dom; remote_typed_param params<>}`.
    /// Groups served: state, cpu-total, balloon, vcpu (the counts); others are absent.
    func allDomainStats(_ args: inout XDRReader) async throws -> XDRWriter {
        let doms = try args.readArray(limit: RemoteLimits.domainListMax, minimumElementSize: 24, "doms") { r throws(XDRError) in
            try NonnullDomain(from: &r)
        }
        var stats = try args.readUInt32("stats")
        let flags = try args.readUInt32("flags")
        if stats == 0 { stats = 1 | 2 | 4 | 8 }
        var records: [DomainRecord] = []
        if doms.isEmpty {
            records = await listAll().filter { Self.matches($0, flags: flags & 0xff) }
        } else {
            for dom in doms { records.append(try await record(dom)) }
        }
        var out = XDRWriter()
        out.writeArray(records) { writer, record in
            writer.write(wire(record))
            var params: [TypedParam] = []
            if stats & 1 != 0 {
                params.append(TypedParam("state.state", .int(LibvirtStateMapping.state(record.state))))
                params.append(TypedParam("state.reason", .int(LibvirtStateMapping.reason(record.state, word: record.reason))))
            }
            if stats & 2 != 0, let time = record.cpuTimeNs {
                params.append(TypedParam("cpu.time", .ullong(time)))
            }
            if stats & 4 != 0 {
                params.append(TypedParam("balloon.current", .ullong(record.memoryKiB)))
                params.append(TypedParam("balloon.maximum", .ullong(max(record.maxMemoryKiB, record.memoryKiB))))
            }
            if stats & 8 != 0 {
                params.append(TypedParam("vcpu.current", .uint(UInt32(max(record.vcpus, 0)))))
                params.append(TypedParam("vcpu.maximum", .uint(UInt32(max(record.vcpus, 0)))))
            }
            writer.writeArray(params) { $0.write($1) }
        }
        return out
    }
}
