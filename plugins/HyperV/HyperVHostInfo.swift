import Foundation
import BrokerCore
import WinRMSupport
import WSMan

/// The host behind a Hyper-V endpoint, from `Win32_ComputerSystem`, `Win32_Processor` and
/// `Win32_OperatingSystem` (three enumerations, read once per session).
struct HyperVHostInfo: Sendable {
    let name: String
    let dnsName: String
    let memoryKiB: UInt64
    let osVersion: String
    let cpuModel: String
    let sockets: Int
    let cores: Int
    let logicalProcessors: Int
    let mhz: Int

    static func read(_ client: WSManClient) async throws(BackendError) -> HyperVHostInfo {
        func instances(_ className: String) async throws(BackendError) -> [[String: String]] {
            do {
                return try await client.enumerate(resourceURI: HyperVClasses.cimv2Root, classURI: HyperVClasses.cimv2(className),
                                                  wql: "SELECT * FROM \(className) ").map(\.wmiProperties)
            } catch {
                throw error.backendError
            }
        }
        let systems = try await instances("Win32_ComputerSystem")
        let processors = try await instances("Win32_Processor")
        let operatingSystems = try await instances("Win32_OperatingSystem")
        guard let system = systems.first else { throw BackendError(.internal, "the host reported no Win32_ComputerSystem") }
        let cpu = processors.first ?? [:]
        return HyperVHostInfo(
            name: system["Name"] ?? "unknown",
            dnsName: system["DNSHostName"] ?? system["Name"] ?? "unknown",
            memoryKiB: (UInt64(system["TotalPhysicalMemory"] ?? "") ?? 0) / 1024,
            osVersion: operatingSystems.first?["Version"] ?? "",
            cpuModel: cleanModel(cpu["Name"] ?? "unknown"),
            sockets: processors.count,
            cores: Int(cpu["NumberOfCores"] ?? "") ?? 0,
            logicalProcessors: Int(cpu["NumberOfLogicalProcessors"] ?? "") ?? 0,
            mhz: Int(cpu["MaxClockSpeed"] ?? "") ?? 0
        )
    }

    /// The model as libvirt shows it: without (R), (TM), (C) and the " @ x.xxGHz" suffix.
    static func cleanModel(_ name: String) -> String {
        var model = name
        for mark in ["(R)", "(TM)", "(C)"] { model = model.replacingOccurrences(of: mark, with: "") }
        if let at = model.range(of: " @ ") { model = String(model[..<at.lowerBound]) }
        return model.split(separator: " ").joined(separator: " ")
    }

    var host: BrokerCore.Host { BrokerCore.Host(name: dnsName, hypervisor: "Hyper-V", hypervisorVersion: osVersion.isEmpty ? nil : osVersion) }

    var nodeInfo: NodeInfo {
        let threads = cores > 0 ? max(1, logicalProcessors / cores) : 1
        return NodeInfo(
            hostname: dnsName, cpuModel: cpuModel, cpus: sockets * cores, mhz: mhz, sockets: sockets, coresPerSocket: cores,
            threadsPerCore: threads, numaCells: 1, memoryKiB: memoryKiB, hypervisor: "Hyper-V",
            hypervisorVersion: osVersion.isEmpty ? nil : osVersion)
    }
}
