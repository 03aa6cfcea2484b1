import BlockingWork
import BrokerCore
import Libvirt
import Logging

/// One libvirt connection as a backend session. Every libvirt call runs on the session's
/// own blocking queue; errors are read on that thread, right after the failing call.
final class LibvirtSession: BackendSession {
    /// The session's only strong reference to its connection, released on `queue` so that
    /// `virConnectClose` (a round trip on remote connections) never runs on the caller's thread.
    private let owned: Unmanaged<LibvirtConnection>
    var connection: LibvirtConnection { owned.takeUnretainedValue() }
    private let queue: BlockingQueue
    let host: Host
    /// The URI the session was opened with (a migration checks the destination is of its kind).
    let uri: BackendURI
    private let logger: Logger
    /// `virDomainGetInfo` answers kept between listings, for drivers whose bulk statistics lack
    /// memory and vCPUs (the test driver reports state only): reused while the domain is in the
    /// state they were read in. vCPUs and memory change with a state change or a redefinition
    /// (whose event re-reads the domain); CPU time may lag by up to the lifetime.
    private let infos = PerDomainCache<LibvirtDomainInfo>(lifetime: .seconds(30))
    /// Each domain's disks and interfaces, from its XML: static until it is redefined (an event,
    /// which re-reads the domain and them).
    private let devices = PerDomainCache<LibvirtDevices>(lifetime: .seconds(600))
    /// Disk and interface counters read one call per device, for drivers whose bulk statistics
    /// lack the block and interface groups (the test driver).
    private let deviceCounters = PerDomainCache<DomainStats>(lifetime: .seconds(30))

    init(connection: LibvirtConnection, uri: BackendURI, queue: BlockingQueue, host: Host, logger: Logger) {
        self.owned = Unmanaged.passRetained(connection)
        self.uri = uri
        self.queue = queue
        self.host = host
        self.logger = logger
    }

    var isAlive: Bool { connection.isAlive }

    func hosts() async throws(BackendError) -> [Host] { [host] }

    func domains(detail: ListingDetail) async throws(BackendError) -> [Domain] {
        try await call { (session) throws(LibvirtError) in try session.listDomains(detail: detail) }
    }

    func domain(_ ref: DomainRef) async throws(BackendError) -> Domain {
        try await call { (session) throws(LibvirtError) in
            try session.fullRecord(session.lookup(ref))
        }
    }

    func perform(_ action: DomainAction, on ref: DomainRef) async throws(BackendError) -> JobStatus {
        try await call { (session) throws(LibvirtError) in
            let domain = try session.lookup(ref)
            switch action {
            case .start: try domain.create()
            case .shutdown: try domain.shutdown()
            case .destroy: try domain.destroy()
            case .reboot: try domain.reboot()
            case .reset: try domain.reset()
            case .suspend: try domain.suspend()
            case .resume: try domain.resume()
            case .save: try domain.managedSave()
            }
            let (state, reason) = try domain.state()
            return .completed(LibvirtStateMapping.state(state, reason: reason))
        }
    }

    func xml(_ ref: DomainRef) async throws(BackendError) -> String {
        try await call { (session) throws(LibvirtError) in try session.lookup(ref).xml() }
    }

    func nodeInfo(host _: String?) async throws(BackendError) -> NodeInfo {
        let host = self.host
        return try await call { (session) throws(LibvirtError) in
            let info = try session.connection.nodeInfo()
            return NodeInfo(
                hostname: host.name, cpuModel: info.model, cpus: info.cpus, mhz: info.mhz,
                sockets: info.sockets, coresPerSocket: info.cores, threadsPerCore: info.threads,
                numaCells: info.numaNodes, memoryKiB: info.memoryKiB,
                hypervisor: host.hypervisor, hypervisorVersion: host.hypervisorVersion
            )
        }
    }

    /// libvirt's lifecycle events for as long as the consumer listens and the connection lives.
    func events() -> AsyncStream<DomainEvent>? {
        let (stream, continuation) = AsyncStream.makeStream(of: DomainEvent.self, bufferingPolicy: .bufferingNewest(4096))
        let owned = self.owned
        let logger = self.logger
        let queue = self.queue
        queue.submit {
            let connection = owned.takeUnretainedValue()
            do throws(LibvirtError) {
                let registration = try LibvirtLifecycleEvents(
                    on: connection,
                    deliver: { raw in
                        if let event = LibvirtEventMapping.event(raw) { continuation.yield(event) }
                    },
                    finished: { continuation.finish() }
                )
                // The listener may outlive the session: it keeps the connection until it
                // deregisters, and lets it go on the queue. Deregistering a registration libvirt
                // already freed (the connection closed) fails harmlessly.
                let kept = Unmanaged.passRetained(connection)
                continuation.onTermination = { _ in
                    queue.submit {
                        registration.deregister(on: kept.takeUnretainedValue())
                        kept.release()
                    }
                }
            } catch {
                logger.warning("no domain events; the cache polls instead", metadata: ["error": "\(error.message)"])
                continuation.finish()
            }
        }
        return stream
    }

    func close() async {
        // Nothing to do ahead of time: the connection closes, on the queue, when the session goes.
    }

    deinit {
        let owned = self.owned
        queue.submit { owned.release() }
    }

    // MARK: - On the blocking queue

    /// Runs libvirt work on the session's queue and maps its errors there, on the same thread.
    func call<T: Sendable>(_ body: @escaping @Sendable (LibvirtSession) throws(LibvirtError) -> T) async throws(BackendError) -> T {
        try await queue.run { [self] () throws(BackendError) -> T in
            do throws(LibvirtError) {
                return try body(self)
            } catch {
                throw LibvirtErrorMapping.backendError(error, connectionAlive: connection.isAlive)
            }
        }
    }

    func lookup(_ ref: DomainRef) throws(LibvirtError) -> LibvirtDomain {
        do {
            return try connection.lookup(uuid: ref.uuid)
        } catch where error.number == .noDomain {
            // libvirt's message does not say which domain.
            throw LibvirtError(code: error.code, domain: error.domain, message: "\(error.message): \(ref)")
        }
    }

    /// Every domain in a constant number of calls where the driver has bulk stats: one
    /// `virConnectGetAllDomainStats`, plus filtered `virConnectListAllDomains` for the
    /// managed-save flag (which makes a shut-off domain `saved`) and, in full detail, the
    /// persistent and autostart flags. The load detail adds the block and interface groups and
    /// each running domain's devices, read from its XML once and kept. Drivers
    /// whose stats lack memory and vCPUs (the test driver reports state only) need one
    /// `virDomainGetInfo` per domain, and one call per disk and interface of a running domain
    /// for its counters; those answers are kept between listings (`PerDomainCache`), so a
    /// steady host's listing makes them once per domain every 30 s at most. `.states` never
    /// does: two round trips whatever the number of domains.
    private func listDomains(detail: ListingDetail) throws(LibvirtError) -> [Domain] {
        let wanted: LibvirtStatsGroups = switch detail {
        case .states: .state
        case .full: [.state, .cpuTotal, .balloon, .vcpu]
        case .load: [.state, .cpuTotal, .balloon, .vcpu, .block, .interface]
        }
        let records: [LibvirtDomainStats]
        do {
            records = try connection.allDomainStats(wanted)
        } catch where error.number == .unsupported {
            return try listDomainsOneByOne()
        }
        let managedSave = try uuids(.managedSave)
        let persistent = detail >= .full ? try uuids(.persistent) : nil
        let autostart = detail >= .full ? try uuids(.autostart) : nil
        if detail >= .full {
            let listed = Set(records.map(\.domain.uuid))
            infos.retain(only: listed)
            devices.retain(only: listed)
            deviceCounters.retain(only: listed)
        }
        return try records.map { (stats) throws(LibvirtError) -> Domain in
            let domain = stats.domain
            let uuid = domain.uuid
            let values = stats.values
            let state = values["state.state"]?.unsigned.map { Int32($0) }
            let reason = values["state.reason"]?.unsigned.map { Int32($0) }
            var info: LibvirtDomainInfo?
            if state == nil || (detail >= .full && (values["balloon.maximum"] == nil || values["vcpu.current"] == nil)) {
                info = try infos.value(uuid: uuid, valid: { state == nil || $0.state == state }) { () throws(LibvirtError) in try domain.info() }
            }
            var record = try self.record(
                domain, state: state ?? Int32(info?.state ?? 0), reason: reason ?? 0, info: info,
                persistent: persistent?.contains(uuid), autostart: autostart?.contains(uuid),
                managedSave: managedSave.contains(uuid)
            )
            if let vcpus = values["vcpu.current"]?.unsigned { record.vcpus = Int(vcpus) }
            if let max = values["balloon.maximum"]?.unsigned { record.maxMemoryKiB = max }
            if let current = values["balloon.current"]?.unsigned { record.memoryKiB = current }
            if let cpu = values["cpu.time"]?.unsigned { record.cpuTimeNs = cpu }
            if detail == .load { record.stats = try self.stats(of: domain, values: values, active: record.id != nil) }
            return record
        }
    }

    /// A domain's load and devices: the bulk record's balloon, block and interface groups where
    /// the driver reports them, else one call per device of an active domain (kept a while).
    /// A device that cannot be read is listed without counters. An inactive domain has no load,
    /// and its devices are not read (its own XML says what it has).
    private func stats(of domain: LibvirtDomain, values: [String: LibvirtDomainStats.Value], active: Bool) throws(LibvirtError) -> DomainStats {
        let declared = active ? try devices.value(uuid: domain.uuid) { () throws(LibvirtError) in try self.devices(of: domain) } : LibvirtDevices()
        var stats = LibvirtStatsRecord.stats(values, declared: declared)
        if values["block.count"] == nil && values["net.count"] == nil && active {
            let counted = deviceCounters.value(uuid: domain.uuid) {
                var counted = stats
                for index in counted.disks.indices {
                    guard let read = try? domain.blockStats(counted.disks[index].target) else { continue }
                    counted.disks[index].readBytes = read.readBytes
                    counted.disks[index].readRequests = read.readRequests
                    counted.disks[index].writeBytes = read.writeBytes
                    counted.disks[index].writeRequests = read.writeRequests
                }
                for index in counted.interfaces.indices {
                    guard let device = counted.interfaces[index].target ?? counted.interfaces[index].mac,
                          let read = try? domain.interfaceStats(device) else { continue }
                    counted.interfaces[index].set(read)
                }
                return counted
            }
            stats.disks = counted.disks
            stats.interfaces = counted.interfaces
            stats.source = LibvirtStatsRecord.perDeviceSource
        } else if !active {
            // Counted again from the start when it runs again, not the last run's totals.
            deviceCounters.forget(uuid: domain.uuid)
        }
        return stats
    }

    /// The devices of a domain's XML; a document that cannot be read declares none.
    private func devices(of domain: LibvirtDomain) throws(LibvirtError) -> LibvirtDevices {
        let xml = try domain.xml()
        do {
            return try LibvirtDevices(xml: xml)
        } catch {
            logger.warning("cannot read the devices of a domain's XML", metadata: ["domain": "\(domain.name)", "error": "\(error)"])
            return LibvirtDevices()
        }
    }

    private func listDomainsOneByOne() throws(LibvirtError) -> [Domain] {
        try connection.listAllDomains().map { (domain) throws(LibvirtError) -> Domain in try fullRecord(domain) }
    }

    /// One domain's whole record, call by call (after an event: its devices are read anew).
    private func fullRecord(_ domain: LibvirtDomain) throws(LibvirtError) -> Domain {
        let (state, reason) = try domain.state()
        let info = try domain.info()
        infos.store(info, uuid: domain.uuid)
        devices.forget(uuid: domain.uuid)
        deviceCounters.forget(uuid: domain.uuid)
        var record = try record(domain, state: state, reason: reason, info: info,
                                persistent: domain.isPersistent(), autostart: domain.autostart(),
                                managedSave: domain.hasManagedSaveImage())
        record.stats = try stats(of: domain, values: [:], active: record.id != nil)
        return record
    }

    private func uuids(_ filter: LibvirtListFilter) throws(LibvirtError) -> Set<String> {
        Set(try connection.listAllDomains(filter).map(\.uuid))
    }

    private func record(
        _ domain: LibvirtDomain, state: Int32, reason: Int32, info: LibvirtDomainInfo?,
        persistent: Bool?, autostart: Bool?, managedSave: Bool
    ) throws(LibvirtError) -> Domain {
        var mapped = LibvirtStateMapping.state(state, reason: reason)
        if mapped == .shutoff && managedSave { mapped = .saved }
        return Domain(
            name: domain.name, uuid: domain.uuid, id: domain.id, state: mapped,
            backendState: LibvirtStateMapping.rawName(state),
            reason: LibvirtStateMapping.reason(state: state, reason: reason),
            host: host.name, platform: host.hypervisor.lowercased(),
            vcpus: info?.vcpus ?? 0, memoryKiB: info?.memoryKiB ?? 0,
            maxMemoryKiB: info?.maxMemoryKiB ?? 0, cpuTimeNs: info?.cpuTimeNs,
            persistent: persistent, autostart: autostart, managedSave: managedSave
        )
    }
}
