import BrokerAPI
import BrokerCore
import LibvirtRemote
import LibvirtVocabulary

/// The load procedures — what virt-manager's graphs and `virsh domstats`/`domblkstat`/
/// `domifstat`/`dommemstat`/`vcpuinfo` read — answered from the service's figures for every
/// VM of every backend (`FederationService.statistics`: the inventory cache's, at most 10 s
/// old). A VM that is not running has no load: libvirt's "domain is not running".
extension LibvirtFacadeClient {
    static let statsTable: [RemoteProcedure: Handler] = [
        .connectGetAllDomainStats: { client, args in try await client.allDomainStats(&args) },
        .domainGetVcpus: { client, args in try await client.vcpus(&args) },
        .domainBlockStats: { client, args in try await client.blockStats(&args) },
        .domainBlockStatsFlags: { client, args in try await client.blockStatsFlags(&args) },
        .domainInterfaceStats: { client, args in try await client.interfaceStats(&args) },
        .domainMemoryStats: { client, args in try await client.memoryStats(&args) },
        .domainGetBlockInfo: { client, args in try await client.blockInfo(&args) },
    ]

    /// DOMAIN_GET_VCPUS: `{dom; int maxinfo; int maplen}` → `{remote_vcpu_info info<>; opaque cpumaps<>}`.
    /// Backends report CPU time per VM, not per vCPU: each vCPU shows an even share of it.
    func vcpus(_ args: inout XDRReader) async throws -> XDRWriter {
        let dom = try NonnullDomain(from: &args)
        let maxInfo = try args.readInt32("maxinfo")
        let mapLength = try args.readInt32("maplen")
        guard maxInfo >= 0, maxInfo <= 16384, mapLength >= 0, Int64(maxInfo) * Int64(mapLength) <= 1 << 20 else {
            throw RemoteError(.rpc, "maxinfo or maplen out of range", domain: .rpc)
        }
        let stats = try await runningStats(dom)
        let count = min(Int(maxInfo), max(stats.vcpus, 1))
        let share = (stats.cpuTimeNs ?? 0) / UInt64(max(stats.vcpus, 1))
        var out = XDRWriter()
        out.write(UInt32(count))
        for index in 0..<count {
            out.write(UInt32(index))
            out.write(Int32(1))    // VIR_VCPU_RUNNING
            out.write(share)
            out.write(Int32(-2))   // VIR_VCPU_INFO_CPU_UNAVAILABLE: the physical CPU is not known
        }
        out.writeOpaque([UInt8](repeating: 0xff, count: count * Int(mapLength)))
        return out
    }

    /// DOMAIN_BLOCK_STATS: `{dom; string path}` → `{hyper rd_req, rd_bytes, wr_req, wr_bytes, errs}`.
    func blockStats(_ args: inout XDRReader) async throws -> XDRWriter {
        let dom = try NonnullDomain(from: &args)
        let path = try args.readString(limit: RemoteLimits.stringMax, "path")
        let disk = try await disk(dom, path)
        var out = XDRWriter()
        for value in [disk.readRequests, disk.readBytes, disk.writeRequests, disk.writeBytes, nil] { out.write(Self.signed(value)) }
        return out
    }

    /// DOMAIN_BLOCK_STATS_FLAGS: `{dom; string path; int nparams; unsigned flags}` →
    /// `{remote_typed_param params<>; int nparams}`; nparams 0 asks how many there are.
    func blockStatsFlags(_ args: inout XDRReader) async throws -> XDRWriter {
        let dom = try NonnullDomain(from: &args)
        let path = try args.readString(limit: RemoteLimits.stringMax, "path")
        let wanted = Int(max(try args.readInt32("nparams"), 0))
        _ = try args.readUInt32("flags")
        let disk = try await disk(dom, path)
        var params: [TypedParam] = []
        for (name, value) in [("rd_operations", disk.readRequests), ("rd_bytes", disk.readBytes),
                              ("wr_operations", disk.writeRequests), ("wr_bytes", disk.writeBytes)] {
            if let value { params.append(TypedParam(name, .llong(Int64(clamping: value)))) }
        }
        let sent = wanted == 0 ? [] : Array(params.prefix(wanted))
        var out = XDRWriter()
        out.writeArray(sent) { $0.write($1) }
        out.write(Int32(wanted == 0 ? params.count : sent.count))
        return out
    }

    /// DOMAIN_INTERFACE_STATS: `{dom; string device}` (target device or MAC) →
    /// `{hyper rx_bytes, rx_packets, rx_errs, rx_drop, tx_bytes, tx_packets, tx_errs, tx_drop}`.
    func interfaceStats(_ args: inout XDRReader) async throws -> XDRWriter {
        let dom = try NonnullDomain(from: &args)
        let device = try args.readString(limit: RemoteLimits.stringMax, "device")
        let stats = try await runningStats(dom)
        let wanted = device.lowercased()
        guard let nic = stats.stats?.interfaces.first(where: { $0.target == device || $0.mac == wanted }) else {
            throw RemoteError(.invalidArg, "invalid path, '\(device)' is not a known interface", domain: .dom)
        }
        var out = XDRWriter()
        for value in [nic.rxBytes, nic.rxPackets, nic.rxErrors, nic.rxDrops, nic.txBytes, nic.txPackets, nic.txErrors, nic.txDrops] {
            out.write(Self.signed(value))
        }
        return out
    }

    /// DOMAIN_MEMORY_STATS: `{dom; unsigned maxStats; unsigned flags}` → `{{int tag; unsigned hyper val} stats<>}`:
    /// unused (4), available (5), actual balloon (6), rss (7) where measured, in KiB.
    func memoryStats(_ args: inout XDRReader) async throws -> XDRWriter {
        let dom = try NonnullDomain(from: &args)
        let maxStats = try args.readUInt32("maxStats")
        _ = try args.readUInt32("flags")
        guard maxStats <= 1024 else { throw RemoteError(.rpc, "maxStats > REMOTE_DOMAIN_MEMORY_STATS_MAX", domain: .rpc) }
        let stats = try await runningStats(dom)
        var present: [(Int32, UInt64)] = []
        for (tag, value) in [(Int32(4), stats.stats?.memoryUnusedKiB), (5, stats.stats?.memoryAvailableKiB), (6, stats.memoryKiB),
                             (7, stats.stats?.memoryUsedKiB)] {
            if let value, present.count < Int(maxStats) { present.append((tag, value)) }
        }
        var out = XDRWriter()
        out.write(UInt32(present.count))
        for (tag, value) in present {
            out.write(tag)
            out.write(value)
        }
        return out
    }

    /// DOMAIN_GET_BLOCK_INFO: `{dom; string path; unsigned flags}` → `{unsigned hyper allocation, capacity, physical}`.
    func blockInfo(_ args: inout XDRReader) async throws -> XDRWriter {
        let dom = try NonnullDomain(from: &args)
        let path = try args.readString(limit: RemoteLimits.stringMax, "path")
        _ = try args.readUInt32("flags")
        let record = try await loadRecord(dom)
        guard let disk = record.stats?.disks.first(where: { !$0.target.isEmpty && ($0.target == path || $0.source == path) }) else {
            throw RemoteError(.invalidArg, "invalid path \(path) not assigned to domain", domain: .dom)
        }
        var out = XDRWriter()
        out.write(disk.allocationBytes ?? 0)
        out.write(disk.capacityBytes ?? 0)
        out.write(disk.allocationBytes ?? 0)
        return out
    }

    /// libvirt's "unknown" for a counter the backend does not give.
    private static func signed(_ value: UInt64?) -> Int64 { value.map { Int64(clamping: $0) } ?? -1 }

    /// The VM's figures as the service has them.
    func loadRecord(_ dom: NonnullDomain) async throws -> DomainStatsRecord {
        let record = try await record(dom)
        let result: Result<DomainStatsRecord, BackendError>
        do throws(BackendError) {
            result = .success(try await service.statistics(of: record.uuid))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let stats): return stats
        case .failure(let error) where error.code == .notFound:
            throw RemoteError(.noDomain, "no domain with matching uuid '\(record.uuid)' (\(dom.name))", domain: .dom)
        case .failure(let error): throw error
        }
    }

    /// The figures of a running VM; otherwise libvirt's refusal.
    func runningStats(_ dom: NonnullDomain) async throws -> DomainStatsRecord {
        let stats = try await loadRecord(dom)
        guard stats.state.isActive else { throw RemoteError(.operationInvalid, "domain is not running", domain: .dom) }
        return stats
    }

    /// A running VM's disk by target (`vda`) or source path.
    func disk(_ dom: NonnullDomain, _ path: String) async throws -> DomainDisk {
        let stats = try await runningStats(dom)
        guard let disk = stats.stats?.disks.first(where: { !$0.target.isEmpty && ($0.target == path || $0.source == path) }) else {
            throw RemoteError(.invalidArg, "invalid path: \(path) not assigned to domain", domain: .dom)
        }
        return disk
    }

    /// CONNECT_GET_ALL_DOMAIN_STATS: `{remote_nonnull_domain doms<>; unsigned stats; unsigned flags}`
    /// → `{remote_domain_stats_record retStats<>}`, each `{dom; remote_typed_param params<>}`.
    /// Groups: state (1), cpu-total (2), balloon (4), vcpu (8), interface (16), block (32); 0
    /// asks for all of them. A group's fields appear where the backend measures them.
    func allDomainStats(_ args: inout XDRReader) async throws -> XDRWriter {
        let doms = try args.readArray(limit: RemoteLimits.domainListMax, minimumElementSize: 24, "doms") { r throws(XDRError) in
            try NonnullDomain(from: &r)
        }
        var groups = try args.readUInt32("stats")
        let flags = try args.readUInt32("flags")
        if groups == 0 { groups = LibvirtStatsFields.Groups.all.rawValue }
        var records: [DomainRecord] = []
        if doms.isEmpty {
            records = await listAll().filter { Self.matches($0, flags: flags & 0xff) }
        } else {
            for dom in doms { records.append(try await record(dom)) }
        }
        let figures = (try? await service.statistics(DomainStatsQuery(filter: DomainFilter(all: true)))).map { answer in
            Dictionary(answer.domains.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
        } ?? [:]
        var out = XDRWriter()
        out.writeArray(records) { writer, record in
            writer.write(wire(record))
            writer.writeArray(Self.params(record, figures[record.uuid], groups: groups)) { $0.write($1) }
        }
        return out
    }

    /// One VM's typed parameters, field names as libvirt's bulk stats name them.
    private static func params(_ record: DomainRecord, _ figures: DomainStatsRecord?, groups: UInt32) -> [TypedParam] {
        LibvirtStatsFields.fields(
            state: record.state, reason: record.reason, cpuTimeNs: figures?.cpuTimeNs ?? record.cpuTimeNs, memoryKiB: record.memoryKiB,
            maxMemoryKiB: record.maxMemoryKiB, vcpus: record.vcpus, stats: figures?.stats, groups: LibvirtStatsFields.Groups(rawValue: groups)
        ).map { field in
            switch field.value {
            case .int(let value): TypedParam(field.name, .int(value))
            case .uint(let value): TypedParam(field.name, .uint(value))
            case .ullong(let value): TypedParam(field.name, .ullong(value))
            case .string(let value): TypedParam(field.name, .string(value))
            }
        }
    }
}
