/// The association classes the simulator follows in `ASSOCIATORS OF`, each linking two classes
/// by a rule over their properties (both directions are followed).
public struct WMIAssociation: Sendable {
    /// The association class name, e.g. `Msvm_SettingsDefineState`.
    public let name: String
    let left: WMIClass
    let right: WMIClass
    let linked: @Sendable (_ left: WMIInstance, _ right: WMIInstance) -> Bool

    /// Every association known.
    public static let all: [WMIAssociation] = [
        // VM ↔ its active settings.
        WMIAssociation(name: "Msvm_SettingsDefineState", left: WMISchema.computerSystem, right: WMISchema.virtualSystemSettingData) {
            same($0["Name"], $1["VirtualSystemIdentifier"])
        },
        // Settings ↔ their processor and memory settings.
        WMIAssociation(name: "Msvm_VirtualSystemSettingDataComponent", left: WMISchema.virtualSystemSettingData,
                       right: WMISchema.processorSettingData) { component(of: $0, $1) },
        WMIAssociation(name: "Msvm_VirtualSystemSettingDataComponent", left: WMISchema.virtualSystemSettingData,
                       right: WMISchema.memorySettingData) { component(of: $0, $1) },
        // Settings ↔ their disks, network adapters and the adapters' switch connections.
        WMIAssociation(name: "Msvm_VirtualSystemSettingDataComponent", left: WMISchema.virtualSystemSettingData,
                       right: WMISchema.storageAllocationSettingData) { component(of: $0, $1) },
        WMIAssociation(name: "Msvm_VirtualSystemSettingDataComponent", left: WMISchema.virtualSystemSettingData,
                       right: WMISchema.syntheticEthernetPortSettingData) { component(of: $0, $1) },
        WMIAssociation(name: "Msvm_VirtualSystemSettingDataComponent", left: WMISchema.virtualSystemSettingData,
                       right: WMISchema.ethernetPortAllocationSettingData) { component(of: $0, $1) },
        // VM ↔ its shutdown integration component.
        WMIAssociation(name: "Msvm_SystemDevice", left: WMISchema.computerSystem, right: WMISchema.shutdownComponent) {
            same($0["Name"], $1["SystemName"])
        },
        // Host ↔ its processors.
        WMIAssociation(name: "Win32_ComputerSystemProcessor", left: WMISchema.win32ComputerSystem, right: WMISchema.win32Processor) {
            same($0["Name"], $1["SystemName"])
        },
    ]

    /// The association class called `name` (case-insensitively).
    static func named(_ name: String) -> WMIAssociation? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The instances associated with `source`, through `association` (any when nil), of
    /// `resultClass` (any when nil).
    static func associators(of source: WMIInstance, via association: WMIAssociation?, resultClass: WMIClass?, model: HyperVModel) -> [WMIInstance] {
        var results: [WMIInstance] = []
        for candidate in all where association == nil || candidate.name == association?.name {
            let other: WMIClass
            let matches: (WMIInstance) -> Bool
            if candidate.left == source.wmiClass {
                other = candidate.right
                matches = { candidate.linked(source, $0) }
            } else if candidate.right == source.wmiClass {
                other = candidate.left
                matches = { candidate.linked($0, source) }
            } else {
                continue
            }
            if let resultClass, resultClass != other { continue }
            results += model.instances(of: other).filter(matches)
        }
        return results
    }

    private static func same(_ left: WMIValue?, _ right: WMIValue?) -> Bool {
        guard let a = left?.text, let b = right?.text else { return false }
        return a.lowercased() == b.lowercased()
    }

    private static func component(of settings: WMIInstance, _ part: WMIInstance) -> Bool {
        guard let owner = settings["InstanceID"]?.text, let id = part["InstanceID"]?.text else { return false }
        return id.lowercased().hasPrefix(owner.lowercased() + "\\")
    }
}
