import BrokerCore
import JSONText

/// The inventory script's JSON (`{"server", "hosts": [...], "vms": [...]}`) as domains and
/// hosts. Identity: `uuid` = `VMId` ?? `BiosGuid`, `biosGuid` = `BiosGuid`; the VMM object
/// `ID` is kept apart, since actions address VMs by it. ManageIQ's capture spells the enum
/// columns `VirtualMachineStateString`/`StatusString`/`VirtualizationPlatformString`; both
/// spellings are read (`SCVMMInventory+Rows`). Anything that is not this shape is a typed
/// error, never a crash.
/// Where several VMs share an identity (no VMId, one BIOS GUID), each takes its object ID.
struct SCVMMInventory: Sendable {
    /// One VM as SCVMM reports it.
    struct VM: Sendable, Equatable {
        /// The VMM object ID (what `-ID` takes).
        let id: String
        /// The federation's record.
        let domain: Domain
        /// Its load and devices, where the listing read them.
        var load: SCVMMLoad? = nil
    }

    /// One managed host.
    struct ManagedHost: Sendable, Equatable {
        let name: String
        let platform: String?
        let communicationState: String?
        let logicalProcessors: Int
        let memoryBytes: UInt64
        let processorModel: String?
        let mhz: Int
        let coresPerCPU: Int
        let sockets: Int
        let osVersion: String?
    }

    let server: String?
    let hosts: [ManagedHost]
    let vms: [VM]

    var domains: [Domain] { vms.map(\.domain) }

    /// Decodes the script's stdout.
    init(json: [UInt8]) throws(BackendError) {
        var server: String?
        var hostRows: [HostRow] = []
        var vmRows: [Row] = []
        let read = json.withUnsafeBufferPointer { bytes in
            var cursor = JSONCursor(bytes)
            guard cursor.peek() == UInt8(ascii: "{") else { return cursor.skipValue() && cursor.atEnd() ? Reading.notAnObject : .malformed }
            let read = cursor.object { cursor, member in
                switch member {
                case "server": PowerShellJSON.text(&cursor, into: &server)
                case "hosts": PowerShellJSON.rows(&cursor, into: &hostRows)
                case "vms": PowerShellJSON.rows(&cursor, into: &vmRows)
                default: cursor.skipValue()
                }
            }
            return read && cursor.atEnd() ? Reading.read : .malformed
        }
        switch read {
        case .read: break
        case .notAnObject: throw BackendError(.internal, "SCVMM's answer is not a JSON object")
        case .malformed: throw BackendError(.internal, "SCVMM answered with malformed JSON (\(json.count) bytes)")
        }
        self.server = server
        hosts = hostRows.map(\.host)
        let platforms = Dictionary(hosts.map { ($0.name.lowercased(), $0.platform) }, uniquingKeysWith: { first, _ in first })
        let listed = try vmRows.map { row throws(BackendError) in try Self.vm(row, platforms: platforms) }
        // A BIOS GUID standing in for a missing VMId must still identify one VM: where two
        // share it (a cloned VM keeps its source's), those fall back to their VMM object ID.
        let counts = listed.reduce(into: [String: Int]()) { $0[$1.domain.uuid, default: 0] += 1 }
        vms = listed.map { vm in
            guard counts[vm.domain.uuid, default: 0] > 1 else { return vm }
            var domain = vm.domain
            domain.uuid = vm.id
            return VM(id: vm.id, domain: domain, load: vm.load)
        }
    }

    private static func vm(_ row: Row, platforms: [String: String?]) throws(BackendError) -> VM {
        guard let name = row.name else { throw BackendError(.internal, "SCVMM listed a VM without a Name") }
        let bios = row.biosGuid.map(bare)
        let objectID = row.id.map(bare)
        guard let uuid = row.vmID.map(bare) ?? bios ?? objectID, let id = objectID ?? bios else {
            throw BackendError(.internal, "SCVMM listed VM '\(name)' with neither ID, VMId nor BiosGuid")
        }
        let rawState = row.state.value ?? "Unknown"
        let state = SCVMMStateMapping.state(rawState)
        let host = row.hostName ?? ""
        let platform = SCVMMStateMapping.platform(row.platform.value) ?? platforms[host.lowercased()] ?? nil
        let memoryMB = UInt64(max(0, row.memoryMB ?? 0))
        let maximumMB = UInt64(max(0, row.maximumMemoryMB ?? 0))
        let domain = Domain(
            name: name, uuid: uuid, state: state,
            backendState: SCVMMStateMapping.backendState(virtualMachineState: rawState, status: row.status.value),
            host: host, platform: platform, vcpus: row.cpuCount ?? 0,
            memoryKiB: memoryMB * 1024, maxMemoryKiB: max(memoryMB, maximumMB) * 1024,
            persistent: true, managedSave: state == .saved, biosGuid: bios)
        return VM(id: id, domain: domain, load: row.load)
    }

    private enum Reading { case read, notAnObject, malformed }

    /// A GUID without braces or spaces around it, its ASCII letters lowercased (a GUID has no others).
    private static func bare(_ guid: String) -> String {
        let framing: Set<UInt8> = [UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: " ")]
        let bytes = guid.utf8
        let start = bytes.firstIndex { !framing.contains($0) } ?? bytes.endIndex
        let end = bytes.lastIndex { !framing.contains($0) }.map(bytes.index(after:)) ?? start
        guard start < end else { return "" }
        return String(decoding: bytes[start..<end].map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

extension SCVMMInventory.ManagedHost {
    /// The host as the broker lists it.
    var host: BrokerCore.Host {
        let state: String = switch communicationState?.lowercased() {
        case nil, "responding"?: "up"
        case let other?: other
        }
        return BrokerCore.Host(name: name, hypervisor: platform ?? "unknown", hypervisorVersion: osVersion, state: state)
    }

    /// The host's hardware as `nodeinfo` shows it.
    var nodeInfo: NodeInfo {
        let sockets = max(1, sockets)
        let cores = coresPerCPU > 0 ? coresPerCPU : max(1, logicalProcessors / sockets)
        return NodeInfo(
            hostname: name, cpuModel: processorModel ?? "unknown", cpus: logicalProcessors, mhz: mhz, sockets: sockets,
            coresPerSocket: cores, threadsPerCore: max(1, logicalProcessors / (sockets * cores)), numaCells: 1,
            memoryKiB: memoryBytes / 1024, hypervisor: platform ?? "unknown", hypervisorVersion: osVersion)
    }
}
