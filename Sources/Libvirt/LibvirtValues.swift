import CLibvirt

/// libvirt's `virDomainState`, as Swift.
public enum LibvirtDomainState: Int32, Sendable {
    case noState = 0, running, blocked, paused, shutdown, shutoff, crashed, pmSuspended

    /// `VIR_DOMAIN_SHUTOFF_SAVED`: the shut-off reason after a managed save.
    public static let shutoffReasonSaved: Int32 = Int32(VIR_DOMAIN_SHUTOFF_SAVED.rawValue)
}

/// `virDomainGetInfo`'s answer.
public struct LibvirtDomainInfo: Sendable {
    /// The raw `virDomainState`.
    public let state: Int32
    public let maxMemoryKiB: UInt64
    public let memoryKiB: UInt64
    public let vcpus: Int
    public let cpuTimeNs: UInt64

    init(_ info: virDomainInfo) {
        state = Int32(info.state)
        maxMemoryKiB = UInt64(info.maxMem)
        memoryKiB = UInt64(info.memory)
        vcpus = Int(info.nrVirtCpu)
        cpuTimeNs = UInt64(info.cpuTime)
    }
}

/// `virNodeGetInfo`'s answer.
public struct LibvirtNodeInfo: Sendable {
    public let model: String
    public let memoryKiB: UInt64
    public let cpus: Int
    public let mhz: Int
    public let numaNodes: Int
    public let sockets: Int
    public let cores: Int
    public let threads: Int

    init(_ info: virNodeInfo) {
        model = withUnsafeBytes(of: info.model) { raw in String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self) }
        memoryKiB = UInt64(info.memory)
        cpus = Int(info.cpus)
        mhz = Int(info.mhz)
        numaNodes = Int(info.nodes)
        sockets = Int(info.sockets)
        cores = Int(info.cores)
        threads = Int(info.threads)
    }
}

/// Which groups `virConnectGetAllDomainStats` reports (`VIR_DOMAIN_STATS_*`).
public struct LibvirtStatsGroups: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let state = LibvirtStatsGroups(rawValue: VIR_DOMAIN_STATS_STATE.rawValue)
    public static let cpuTotal = LibvirtStatsGroups(rawValue: VIR_DOMAIN_STATS_CPU_TOTAL.rawValue)
    public static let balloon = LibvirtStatsGroups(rawValue: VIR_DOMAIN_STATS_BALLOON.rawValue)
    public static let vcpu = LibvirtStatsGroups(rawValue: VIR_DOMAIN_STATS_VCPU.rawValue)
    public static let block = LibvirtStatsGroups(rawValue: VIR_DOMAIN_STATS_BLOCK.rawValue)
    public static let interface = LibvirtStatsGroups(rawValue: VIR_DOMAIN_STATS_INTERFACE.rawValue)
}

/// `virDomainBlockStats`' answer; nil where the driver does not count it (libvirt's -1).
public struct LibvirtBlockStats: Sendable, Equatable {
    public let readRequests: UInt64?
    public let readBytes: UInt64?
    public let writeRequests: UInt64?
    public let writeBytes: UInt64?

    init(_ stats: virDomainBlockStatsStruct) {
        readRequests = counted(stats.rd_req)
        readBytes = counted(stats.rd_bytes)
        writeRequests = counted(stats.wr_req)
        writeBytes = counted(stats.wr_bytes)
    }
}

/// `virDomainInterfaceStats`' answer; nil where the driver does not count it (libvirt's -1).
public struct LibvirtInterfaceStats: Sendable, Equatable {
    public let rxBytes: UInt64?
    public let rxPackets: UInt64?
    public let rxErrors: UInt64?
    public let rxDrops: UInt64?
    public let txBytes: UInt64?
    public let txPackets: UInt64?
    public let txErrors: UInt64?
    public let txDrops: UInt64?

    init(_ stats: virDomainInterfaceStatsStruct) {
        rxBytes = counted(stats.rx_bytes)
        rxPackets = counted(stats.rx_packets)
        rxErrors = counted(stats.rx_errs)
        rxDrops = counted(stats.rx_drop)
        txBytes = counted(stats.tx_bytes)
        txPackets = counted(stats.tx_packets)
        txErrors = counted(stats.tx_errs)
        txDrops = counted(stats.tx_drop)
    }
}

/// A libvirt counter: negative means "not counted".
private func counted(_ value: Int64) -> UInt64? { value < 0 ? nil : UInt64(value) }

/// Filters of `virConnectListAllDomains` (`VIR_CONNECT_LIST_DOMAINS_*`).
public struct LibvirtListFilter: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let persistent = LibvirtListFilter(rawValue: VIR_CONNECT_LIST_DOMAINS_PERSISTENT.rawValue)
    public static let autostart = LibvirtListFilter(rawValue: VIR_CONNECT_LIST_DOMAINS_AUTOSTART.rawValue)
    public static let managedSave = LibvirtListFilter(rawValue: VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE.rawValue)
}

/// The `virErrorNumber` values the federation tells apart.
public enum LibvirtErrorNumber: Sendable {
    case noDomain, operationInvalid, unsupported, invalidArgument, denied, timeout, connectionFailure, authFailure, exists, other

    init(_ code: Int32) {
        switch virErrorNumber(rawValue: UInt32(bitPattern: code)) {
        case VIR_ERR_NO_DOMAIN, VIR_ERR_NO_DOMAIN_SNAPSHOT, VIR_ERR_NO_NETWORK, VIR_ERR_NO_STORAGE_POOL: self = .noDomain
        case VIR_ERR_OPERATION_INVALID: self = .operationInvalid
        case VIR_ERR_NO_SUPPORT, VIR_ERR_OPERATION_UNSUPPORTED, VIR_ERR_ARGUMENT_UNSUPPORTED: self = .unsupported
        case VIR_ERR_INVALID_ARG, VIR_ERR_XML_ERROR, VIR_ERR_CONFIG_UNSUPPORTED, VIR_ERR_INVALID_DOMAIN: self = .invalidArgument
        case VIR_ERR_OPERATION_DENIED, VIR_ERR_ACCESS_DENIED: self = .denied
        case VIR_ERR_OPERATION_TIMEOUT, VIR_ERR_AGENT_UNRESPONSIVE: self = .timeout
        case VIR_ERR_SYSTEM_ERROR, VIR_ERR_RPC, VIR_ERR_NO_CONNECT, VIR_ERR_INVALID_CONN: self = .connectionFailure
        case VIR_ERR_AUTH_FAILED, VIR_ERR_AUTH_CANCELLED, VIR_ERR_AUTH_UNAVAILABLE: self = .authFailure
        case VIR_ERR_DOM_EXIST: self = .exists
        default: self = .other
        }
    }
}
