import BrokerCore
import Foundation
import WinRMSupport
import WSMan
import XML

/// A new VM's disks and network adapters, given with `AddResourceSettings` one device at a
/// time, each linked to the one before by `Parent` (an object path): a SCSI controller when the
/// plan needs one (a generation 1 VM's IDE controllers exist already), then per `<disk>` a
/// drive on its controller and the image in it, per `<interface>` a synthetic adapter and its
/// connection to the switch `<source>` names.
extension HyperVSession {
    /// What `attach` needs resolved before the VM is made: where each disk goes and the
    /// `Name` of each switch the interfaces name. `not_found` for a switch the host lacks.
    struct DevicePlan {
        var disks: WindowsDiskPlan
        var switchIDs: [String: String]
    }

    func devicePlan(for definition: DomainDefinition) async throws(BackendError) -> DevicePlan {
        let disks = try WindowsDiskPlan(disks: definition.disks, uefi: definition.uefi, backend: "Hyper-V")
        var switchIDs: [String: String] = [:]
        let wanted = Set(definition.interfaces.compactMap { $0.network?.lowercased() })
        if !wanted.isEmpty {
            let switches = try await query(HyperVClasses.virtualSwitch)
            for row in switches {
                if let name = row["ElementName"], let id = row["Name"] { switchIDs[name.lowercased()] = id }
            }
            if let missing = definition.interfaces.compactMap(\.network).first(where: { switchIDs[$0.lowercased()] == nil }) {
                let names = switches.compactMap { $0["ElementName"] }.sorted().joined(separator: ", ")
                throw BackendError(.notFound, "Hyper-V host \(hostInfo.name) has no virtual switch '\(missing)' (it has: \(names.isEmpty ? "none" : names))")
            }
        }
        return DevicePlan(disks: disks, switchIDs: switchIDs)
    }

    /// Gives the new VM `guid` (Off) the definition's disks and adapters. Throws the first
    /// failure; the caller removes the half-made VM.
    func attach(_ definition: DomainDefinition, plan: DevicePlan, to guid: String) async throws(BackendError) {
        let configuration = settingsReference("Microsoft:\(guid)")
        var scsi: String?
        if plan.disks.needsSCSIController {
            scsi = try await add(allocation(HyperVClasses.resourceSettings, [
                .init("ResourceType", "6", type: "uint16"), .init("ResourceSubType", HyperVDevice.scsiController)]), to: configuration)
        }
        var ide: [String: String] = [:]
        if plan.disks.placements.contains(where: { $0.controller != .scsi }) {
            let like = Self.escaped("Microsoft:\(guid)") + "%"
            for row in try await query(HyperVClasses.resourceSettings, where: "InstanceID LIKE '\(like)' AND ResourceSubType = '\(HyperVDevice.ideController)'") {
                if let address = row["Address"], let id = row["InstanceID"] { ide[address] = id }
            }
        }
        for placement in plan.disks.placements {
            let controller: String?
            switch placement.controller {
            case .scsi: controller = scsi
            case .ide(let index): controller = ide[String(index)]
            }
            guard let controller else { throw BackendError(.internal, "the new VM has no controller for \(placement.disk.described)") }
            let optical = placement.disk.device == .cdrom
            let drive = try await add(allocation(HyperVClasses.resourceSettings, [
                .init("ResourceType", optical ? "16" : "17", type: "uint16"),
                .init("ResourceSubType", optical ? HyperVDevice.dvdDrive : HyperVDevice.diskDrive),
                .init("Parent", objectPath(HyperVClasses.resourceSettings, instanceID: controller)),
                .init("AddressOnParent", String(placement.location))]), to: configuration)
            guard let source = placement.disk.source else { continue }
            _ = try await add(allocation(HyperVClasses.storageSettings, [
                .init("ResourceType", "31", type: "uint16"),
                .init("ResourceSubType", optical ? HyperVDevice.opticalImage : HyperVDevice.hardDiskImage),
                .init("Parent", objectPath(HyperVClasses.resourceSettings, instanceID: drive)),
                .init("HostResource", array: [source])]), to: configuration)
        }
        for interface in definition.interfaces {
            var properties: [WMIEmbeddedInstance.Property] = [
                .init("ResourceType", "10", type: "uint16"), .init("ResourceSubType", HyperVDevice.syntheticPort),
                .init("ElementName", "Network Adapter"), .init("VirtualSystemIdentifiers", array: ["{\(UUID().uuidString)}"]),
                .init("StaticMacAddress", interface.bareMAC == nil ? "false" : "true", type: "boolean")]
            if let mac = interface.bareMAC { properties.append(.init("Address", mac)) }
            let port = try await add(allocation(HyperVClasses.syntheticPortSettings, properties), to: configuration)
            guard let network = interface.network, let switchID = plan.switchIDs[network.lowercased()] else { continue }
            _ = try await add(allocation(HyperVClasses.portAllocationSettings, [
                .init("ResourceType", "33", type: "uint16"), .init("ResourceSubType", HyperVDevice.ethernetConnection),
                .init("Parent", objectPath(HyperVClasses.syntheticPortSettings, instanceID: port)),
                .init("HostResource", array: [objectPath(HyperVClasses.virtualSwitch, keys: [
                    ("CreationClassName", HyperVClasses.virtualSwitch), ("Name", switchID)])])]), to: configuration)
        }
    }

    /// One `AddResourceSettings` with one entry, its job followed; the added entry's `InstanceID`.
    private func add(_ resource: WMIEmbeddedInstance, to configuration: WSManEndpointReference) async throws(BackendError) -> String {
        let output = try await invoke(HyperVClasses.managementService, "AddResourceSettings",
                                      [.reference("AffectedConfiguration", configuration), .instance("ResourceSettings", resource)])
        let returnValue = Int(output.child("ReturnValue")?.text ?? "") ?? -1
        guard returnValue == 0 || returnValue == 4096 else {
            throw HyperVErrorMapping.returnValue(returnValue, method: "AddResourceSettings (\(resource.className))")
        }
        if returnValue == 4096, let jobID = output.child("Job")?.selector("InstanceID") {
            _ = try await follow(jobID: jobID)
        }
        guard let added = output.child("ResultingResourceSettings").flatMap(WSManEndpointReference.init)?.selector("InstanceID") else {
            throw BackendError(.internal, "AddResourceSettings (\(resource.className)) did not name what it added")
        }
        return added
    }

    private func allocation(_ className: String, _ properties: [WMIEmbeddedInstance.Property]) -> WMIEmbeddedInstance {
        WMIEmbeddedInstance(className: className, properties: properties)
    }

    /// `\\HOST\root\virtualization\v2:Class.InstanceID="…"`, as Hyper-V writes `Parent`.
    private func objectPath(_ className: String, instanceID: String) -> String {
        objectPath(className, keys: [("InstanceID", instanceID)])
    }

    private func objectPath(_ className: String, keys: [(String, String)]) -> String {
        let values = keys.map { name, value in
            "\(name)=\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return #"\\"# + hostInfo.name + #"\root\virtualization\v2:"# + className + "." + values.joined(separator: ",")
    }
}
