import BrokerCore
import Foundation

/// The inventory script's JSON (`{"server", "hosts": [...], "vms": [...]}`) as domains and
/// hosts. Identity: `uuid` = `VMId` ?? `BiosGuid`, `biosGuid` = `BiosGuid`; the VMM object
/// `ID` is kept apart, since actions address VMs by it. ManageIQ's capture spells the enum
/// columns `VirtualMachineStateString`/`StatusString`/`VirtualizationPlatformString`; both
/// spellings are read. Anything that is not this shape is a typed error, never a crash.
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
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])
        } catch {
            throw BackendError(.internal, "SCVMM answered with malformed JSON (\(json.count) bytes)")
        }
        guard let object = root as? [String: Any] else { throw BackendError(.internal, "SCVMM's answer is not a JSON object") }
        server = object["server"] as? String
        hosts = Self.rows(object["hosts"]).map(Self.host)
        let platforms = Dictionary(hosts.map { ($0.name.lowercased(), $0.platform) }, uniquingKeysWith: { first, _ in first })
        let listed = try Self.rows(object["vms"]).map { row throws(BackendError) in try Self.vm(row, platforms: platforms) }
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

    // MARK: - Rows

    private static func vm(_ row: [String: Any], platforms: [String: String?]) throws(BackendError) -> VM {
        guard let name = string(row["Name"]) else { throw BackendError(.internal, "SCVMM listed a VM without a Name") }
        let bios = string(row["BiosGuid"]).map(bare)
        let objectID = string(row["ID"]).map(bare)
        guard let uuid = string(row["VMId"]).map(bare) ?? bios ?? objectID, let id = objectID ?? bios else {
            throw BackendError(.internal, "SCVMM listed VM '\(name)' with neither ID, VMId nor BiosGuid")
        }
        let rawState = string(row["VirtualMachineState"] ?? row["VirtualMachineStateString"]) ?? "Unknown"
        let status = string(row["Status"] ?? row["StatusString"])
        let state = SCVMMStateMapping.state(rawState)
        let host = string(row["HostName"]) ?? ""
        let platform = SCVMMStateMapping.platform(string(row["VirtualizationPlatform"] ?? row["VirtualizationPlatformString"]))
            ?? platforms[host.lowercased()] ?? nil
        let memoryMB = UInt64(max(0, integer(row["Memory"]) ?? 0))
        let maximumMB = UInt64(max(0, integer(row["DynamicMemoryMaximumMB"]) ?? 0))
        let domain = Domain(
            name: name, uuid: uuid, state: state,
            backendState: SCVMMStateMapping.backendState(virtualMachineState: rawState, status: status),
            host: host, platform: platform, vcpus: integer(row["CPUCount"]) ?? 0,
            memoryKiB: memoryMB * 1024, maxMemoryKiB: max(memoryMB, maximumMB) * 1024,
            persistent: true, managedSave: state == .saved, biosGuid: bios)
        return VM(id: id, domain: domain, load: load(row))
    }

    /// The `Perf*` properties and the `Disks`/`Adapters` lists (ManageIQ's capture spells them
    /// `VirtualHardDisks`/`VirtualNetworkAdapters`), when the row has any of them.
    private static func load(_ row: [String: Any]) -> SCVMMLoad? {
        let keys = ["PerfCPUUtilization", "PerfMemory", "PerfDiskBytesRead", "PerfDiskBytesWrite", "Disks", "Adapters",
                    "VirtualHardDisks", "VirtualNetworkAdapters"]
        guard keys.contains(where: { row[$0] != nil }) else { return nil }
        func count(_ value: Any?) -> UInt64? { integer(value).map { UInt64(max(0, $0)) } }
        func rate(_ value: Any?) -> Double? { integer(value).map { Double(max(0, $0)) } }
        return SCVMMLoad(
            cpuPercent: rate(row["PerfCPUUtilization"]).map { min($0, 100) }, memoryMB: count(row["PerfMemory"]),
            diskReadBps: rate(row["PerfDiskBytesRead"]), diskWriteBps: rate(row["PerfDiskBytesWrite"]),
            disks: rows(row["Disks"] ?? row["VirtualHardDisks"]).map { SCVMMLoad.Disk(location: string($0["Location"]), maximumSize: count($0["MaximumSize"]), size: count($0["Size"])) },
            adapters: rows(row["Adapters"] ?? row["VirtualNetworkAdapters"]).map {
                SCVMMLoad.Adapter(mac: string($0["MACAddress"]), network: string($0["VirtualNetwork"]),
                                  readKBps: rate($0["PerfNetworkKBytesRead"]), writeKBps: rate($0["PerfNetworkKBytesWrite"]))
            })
    }

    private static func host(_ row: [String: Any]) -> ManagedHost {
        ManagedHost(
            name: string(row["Name"]) ?? "unknown",
            platform: SCVMMStateMapping.platform(string(row["VirtualizationPlatform"] ?? row["VirtualizationPlatformString"])),
            communicationState: string(row["CommunicationState"] ?? row["CommunicationStateString"]),
            logicalProcessors: integer(row["LogicalProcessorCount"]) ?? 0,
            memoryBytes: UInt64(max(0, integer(row["TotalMemory"]) ?? 0)),
            processorModel: string(row["ProcessorModel"]),
            mhz: integer(row["ProcessorSpeed"]) ?? 0,
            coresPerCPU: integer(row["CoresPerCPU"]) ?? 0,
            sockets: integer(row["PhysicalCPUCount"]) ?? 0,
            osVersion: string(row["OperatingSystemVersionString"]))
    }

    // MARK: - Lenient JSON values

    /// An array of objects; one object alone (PowerShell unrolls single-element arrays when
    /// `@()` is forgotten, and a calculated property's single output) counts as a one-element
    /// array; Windows PowerShell 5.1's wrapping of a calculated property's several outputs,
    /// `{"value": […], "Count": n}`, as its array; anything else as none.
    private static func rows(_ value: Any?) -> [[String: Any]] {
        if let list = value as? [Any] { return list.compactMap { $0 as? [String: Any] } }
        if let single = value as? [String: Any] {
            if single.count == 2, single["Count"] != nil, let wrapped = single["value"] as? [Any] { return rows(wrapped) }
            return [single]
        }
        return []
    }

    private static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String: text.isEmpty ? nil : text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }

    private static func integer(_ value: Any?) -> Int? {
        switch value {
        case let number as NSNumber:
            let double = number.doubleValue
            return double.isFinite && abs(double) < 9e18 ? Int(double) : nil
        case let text as String: return Int(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// A GUID without braces, lowercased.
    private static func bare(_ guid: String) -> String {
        guid.trimmingCharacters(in: CharacterSet(charactersIn: "{} ")).lowercased()
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
