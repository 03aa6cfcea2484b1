import Foundation

/// What the SCVMM simulator serves, read from real SCVMM output: `{ems, hosts, vms, …}` as
/// ManageIQ's get_inventory.ps1 captures it (`Tests/Fixtures/scvmm/get_inventory_output.json`
/// loads unmodified) or the same shape written by hand (`config/scvmm-demo.json`). VMs carry
/// `VirtualMachineStateString` (or `VirtualMachineState`, a name or an integer), `StatusString`,
/// `ID`, `BiosGuid`, `HostName`, `CPUCount`, `Memory`, maybe `VMId` and `DynamicMemoryMaximumMB`;
/// hosts `Name`, `ID`, `VirtualizationPlatformString`, `CommunicationStateString`. Every other
/// property is carried through; a VM record without `VirtualHardDisks` or `VirtualNetworkAdapters`
/// gets one default disk or adapter (`SCVMMVirtualMachine+Devices`).
public struct SCVMMInventory: Sendable, Equatable {
    /// The VMM server's FQDN (`$vmm.FQDN`): `ems.FQDN` when present, else the given default.
    public var serverName: String
    /// The `ems` record (`Guid`, `Version` …).
    public var ems: [PSProperty]
    /// The VM hosts.
    public var hosts: [SCVMMHost]
    /// The VMs.
    public var virtualMachines: [SCVMMVirtualMachine]
    /// The library's VM templates (`images`).
    public var templates: [SCVMMTemplate] = []

    /// Creates an inventory.
    public init(serverName: String, ems: [PSProperty], hosts: [SCVMMHost], virtualMachines: [SCVMMVirtualMachine]) {
        self.serverName = serverName
        self.ems = ems
        self.hosts = hosts
        self.virtualMachines = virtualMachines
    }

    /// Reads an inventory file.
    public static func load(path: String, defaultServerName: String = "vmm.lab.local") throws(InventoryError) -> SCVMMInventory {
        guard let data = FileManager.default.contents(atPath: path) else { throw InventoryError("cannot read \(path)") }
        return try parse([UInt8](data), defaultServerName: defaultServerName)
    }

    /// Parses an inventory document.
    public static func parse(_ bytes: [UInt8], defaultServerName: String = "vmm.lab.local") throws(InventoryError) -> SCVMMInventory {
        let document: PSValue
        do { document = try PSJSONReader.parse(bytes) } catch { throw InventoryError("not JSON: \(error)") }
        guard case .object(let root) = document else { throw InventoryError("the inventory must be a JSON object") }
        var ems: [PSProperty] = []
        if case .object(let record)? = root.property("ems")?.value { ems = record.properties }
        let fqdn = ems.first { ["fqdn", "name"].contains($0.name.lowercased()) }?.value.text
        var hosts: [SCVMMHost] = []
        for (index, item) in try records(root, "hosts").enumerated() { hosts.append(try host(item, index: index)) }
        var vms: [SCVMMVirtualMachine] = []
        for (index, item) in try records(root, "vms").enumerated() { vms.append(try virtualMachine(item, index: index)) }
        try checkUnique(hosts.map(\.id), "host ID")
        try checkUnique(vms.map(\.id), "VM ID")
        try checkUnique(vms.compactMap(\.vmID), "VMId")
        var inventory = SCVMMInventory(serverName: fqdn.flatMap { $0.isEmpty ? nil : $0 } ?? defaultServerName, ems: ems, hosts: hosts, virtualMachines: vms)
        inventory.templates = try records(root, "images").compactMap { item in
            guard let name = item.property("Name")?.value.text, let id = item.property("ID")?.value.text else { return nil }
            return SCVMMTemplate(id: id.lowercased(), name: name, cpuCount: Int(item.property("CPUCount")?.value.text ?? "") ?? 1,
                                 memoryMB: Int(item.property("Memory")?.value.text ?? "") ?? 512)
        }
        return inventory
    }

    private static func records(_ root: PSObject, _ key: String) throws(InventoryError) -> [PSObject] {
        guard let value = root.property(key)?.value, !value.isNull else { return [] }
        var objects: [PSObject] = []
        for item in value.pipelineItems {
            guard case .object(let object) = item else { throw InventoryError("\(key) must hold JSON objects") }
            objects.append(object)
        }
        return objects
    }

    private static func host(_ record: PSObject, index: Int) throws(InventoryError) -> SCVMMHost {
        let name = try text(record, "Name", "hosts[\(index)]")
        let id = try guid(record, "ID", "host \(name)")
        let platform = try member(record, "VirtualizationPlatform", "host \(name)", parse: VirtualizationPlatform.init(name:)) ?? .hyperV
        let communication = try member(record, "CommunicationState", "host \(name)", parse: CommunicationState.init(memberName:)) ?? .responding
        let extra = record.properties.filter { !SCVMMHost.typedProperties.contains($0.name.lowercased()) }
        return SCVMMHost(name: name, id: id, platform: platform, communication: communication, extra: extra)
    }

    private static func virtualMachine(_ record: PSObject, index: Int) throws(InventoryError) -> SCVMMVirtualMachine {
        let name = try text(record, "Name", "vms[\(index)]")
        let context = "VM \(name)"
        let id = try guid(record, "ID", context)
        guard let state = try member(record, "VirtualMachineState", context, parse: VMComputerSystemState.init(memberName:)) else {
            throw InventoryError("\(context): VirtualMachineState or VirtualMachineStateString is required")
        }
        let status = try member(record, "Status", context, parse: VMComputerSystemState.init(memberName:))
        let vmID = try optionalGUID(record, "VMId", context)
        let biosGUID = try optionalGUID(record, "BiosGuid", context)
        let cpuCount = record.property("CPUCount")?.value.number.map { Int($0) } ?? 1
        let memory = record.property("Memory")?.value.number.map { Int($0) } ?? 0
        guard cpuCount >= 0, memory >= 0 else { throw InventoryError("\(context): CPUCount and Memory must not be negative") }
        let dynamicMaximum = record.property("DynamicMemoryMaximumMB")?.value.number.map { Int($0) }
        var extra = record.properties.filter { !SCVMMVirtualMachine.typedProperties.contains($0.name.lowercased()) }
        let hostName = record.property("HostName")?.value.text ?? ""
        if record.property("VirtualHardDisks") == nil {
            extra.append(PSProperty("VirtualHardDisks", SCVMMVirtualMachine.defaultHardDisks(name: name, id: id, hostName: hostName)))
        }
        if record.property("VirtualNetworkAdapters") == nil {
            extra.append(PSProperty("VirtualNetworkAdapters", SCVMMVirtualMachine.defaultNetworkAdapters(name: name, id: id, vmID: vmID)))
        }
        return SCVMMVirtualMachine(name: name, id: id, vmID: vmID, biosGUID: biosGUID, hostName: record.property("HostName")?.value.text ?? "",
                                   cpuCount: cpuCount, memoryMB: memory, dynamicMemoryMaximumMB: dynamicMaximum, state: state,
                                   status: status ?? state, statusIsCondition: status != nil && status != state, extra: extra)
    }

    /// An enum property given as `Key` (an integer or a name) or as `KeyString` (a name); nil when absent.
    private static func member<E: PSEnumeration>(_ record: PSObject, _ key: String, _ context: String,
                                                 parse: (String) -> E?) throws(InventoryError) -> E? {
        guard let value = (record.property(key) ?? record.property(key + "String"))?.value, !value.isNull else { return nil }
        if case .int(let raw) = value {
            guard let member = E(rawValue: raw) else { throw InventoryError("\(context): unknown \(key) \(raw)") }
            return member
        }
        guard let member = parse(value.text) else { throw InventoryError("\(context): unknown \(key) '\(value.text)'") }
        return member
    }

    private static func text(_ record: PSObject, _ key: String, _ context: String) throws(InventoryError) -> String {
        guard case .string(let value)? = record.property(key)?.value, !value.isEmpty else { throw InventoryError("\(context): \(key) is required") }
        return value
    }

    private static func guid(_ record: PSObject, _ key: String, _ context: String) throws(InventoryError) -> String {
        guard let value = try optionalGUID(record, key, context) else { throw InventoryError("\(context): \(key) is required") }
        return value
    }

    private static func optionalGUID(_ record: PSObject, _ key: String, _ context: String) throws(InventoryError) -> String? {
        guard let value = record.property(key)?.value, !value.isNull, !value.text.isEmpty else { return nil }
        guard let normalized = GUIDText.normalized(value.text) else { throw InventoryError("\(context): \(key) '\(value.text)' is not a GUID") }
        return normalized
    }

    private static func checkUnique(_ values: [String], _ what: String) throws(InventoryError) {
        var seen = Set<String>()
        for value in values where !seen.insert(value).inserted { throw InventoryError("duplicate \(what) \(value)") }
    }
}
