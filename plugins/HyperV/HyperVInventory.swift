import Foundation
import BrokerCore

/// Joins the four whole-class enumerations into domain records, by VM GUID: settings by
/// `InstanceID` = `Microsoft:<GUID>` (the realized settings, not snapshots), processor and
/// memory settings by the GUID that opens their `InstanceID` (`Microsoft:<GUID>\…`).
struct HyperVInventory {
    let domains: [Domain]

    /// The VM GUID that opens a settings `InstanceID` (`Microsoft:<GUID>…`), lowercased.
    static func vmGUID(_ instanceID: String?) -> String? {
        guard let instanceID, instanceID.lowercased().hasPrefix("microsoft:") else { return nil }
        let rest = instanceID.dropFirst("microsoft:".count)
        return String(rest.prefix(while: { $0 != "\\" && $0 != "/" })).lowercased()
    }

    init(systems: [[String: String]], settings: [[String: String]], processors: [[String: String]], memory: [[String: String]], host: String) {
        let vmGUID = Self.vmGUID
        let settingsByGUID = Dictionary(settings.compactMap { row in vmGUID(row["InstanceID"]).map { ($0, row) } }, uniquingKeysWith: { first, _ in first })
        let processorsByGUID = Dictionary(processors.compactMap { row in vmGUID(row["InstanceID"]).map { ($0, row) } }, uniquingKeysWith: { first, _ in first })
        let memoryByGUID = Dictionary(memory.compactMap { row in vmGUID(row["InstanceID"]).map { ($0, row) } }, uniquingKeysWith: { first, _ in first })
        domains = systems.compactMap { system -> Domain? in
            guard let name = system["Name"], let element = system["ElementName"] else { return nil }
            let guid = name.lowercased()
            let enabled = Int(system["EnabledState"] ?? "") ?? 0
            let state = HyperVStateMapping.state(enabled)
            let processID = Int(system["ProcessID"] ?? "")
            let vssd = settingsByGUID[guid]
            let memoryRow = memoryByGUID[guid]
            let current = UInt64(memoryRow?["VirtualQuantity"] ?? "") ?? 0
            let limit = UInt64(memoryRow?["Limit"] ?? "") ?? current
            let bios = vssd?["BIOSGUID"].map { $0.trimmingCharacters(in: ["{", "}"]) }
            return Domain(
                name: element, uuid: guid, id: state.isActive ? processID : nil, state: state,
                backendState: HyperVStateMapping.raw(enabled), host: host, platform: "Hyper-V",
                vcpus: Int(processorsByGUID[guid]?["VirtualQuantity"] ?? "") ?? 0,
                memoryKiB: current * 1024, maxMemoryKiB: max(limit, current) * 1024,
                persistent: true, managedSave: state == .saved, biosGuid: bios
            )
        }
    }
}


