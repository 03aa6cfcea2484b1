import XML

extension WSManService {
    /// The methods that create, change, snapshot, remove and move VMs:
    /// `Msvm_VirtualSystemManagementService.DefineSystem`, `AddResourceSettings`, `ModifyResourceSettings`,
    /// `ModifySystemSettings`, `DestroySystem`; `Msvm_VirtualSystemSnapshotService.CreateSnapshot`,
    /// `ApplySnapshot`, `DestroySnapshot`, `DestroySnapshotTree`;
    /// `Msvm_VirtualSystemMigrationService.MigrateVirtualSystemToHost`. Nil for other methods.
    func invokeVirtualSystemMethod(_ wmiClass: WMIClass, method: String, payload: XMLElement) throws(WSManFaultReply) -> (InvocationResult, [String])? {
        let computerSystem = WMISchema.computerSystem, settings = WMISchema.virtualSystemSettingData
        switch (wmiClass.name, method) {
        case ("Msvm_VirtualSystemManagementService", "DefineSystem"):
            let (className, properties) = try InvokeParameter.instance(payload.child("SystemSettings"), parameter: "SystemSettings")
            guard className.lowercased() == settings.name.lowercased() else {
                throw .invalidParameter("SystemSettings must be a \(settings.name).")
            }
            let subtype = properties["VirtualSystemSubType"]?.first ?? "Microsoft:Hyper-V:SubType:2"
            guard let generation = ["microsoft:hyper-v:subtype:1": 1, "microsoft:hyper-v:subtype:2": 2][subtype.lowercased()] else {
                return (InvocationResult(returnValue: StateTransition.invalidParameter, jobID: nil), [])
            }
            let name = properties["ElementName"]?.first ?? "New Virtual Machine"
            let notes = properties["Notes"].flatMap { $0.isEmpty ? nil : $0.joined(separator: "\n") }
            let (result, guid) = model.defineSystem(name: name, generation: generation, notes: notes)
            return (result, [WSManEnvelopeWriter.endpointReference(
                resourceURI: computerSystem.resourceURI, selectors: [("CreationClassName", computerSystem.name), ("Name", guid)],
                element: "p:ResultingSystem")])
        case ("Msvm_VirtualSystemManagementService", "ModifyResourceSettings"):
            var entries: [HyperVModel.ResourceSetting] = []
            for element in payload.children where element.name == "ResourceSettings" {
                let (className, properties) = try InvokeParameter.instance(element, parameter: "ResourceSettings")
                entries.append(HyperVModel.ResourceSetting(className: className, properties: properties.compactMapValues(\.first)))
            }
            guard !entries.isEmpty else { throw .invalidParameter("ModifyResourceSettings needs ResourceSettings.") }
            return (InvocationResult(returnValue: model.modifyResourceSettings(entries), jobID: nil), [])
        case ("Msvm_VirtualSystemManagementService", "AddResourceSettings"):
            let selectors = try InvokeParameter.reference(payload.child("AffectedConfiguration"), to: settings.name, parameter: "AffectedConfiguration")
            var entries: [HyperVModel.ResourceSetting] = []
            for element in payload.children where element.name == "ResourceSettings" {
                let (className, properties) = try InvokeParameter.instance(element, parameter: "ResourceSettings")
                entries.append(HyperVModel.ResourceSetting(className: className, properties: properties.compactMapValues(\.first)))
            }
            guard !entries.isEmpty else { throw .invalidParameter("AddResourceSettings needs ResourceSettings.") }
            guard let added = model.addResourceSettings(configuration: selectors["InstanceID"] ?? "", entries) else {
                throw .invalidParameter("AffectedConfiguration names no virtual machine's settings (WBEM_E_NOT_FOUND).")
            }
            return (added.result, added.resulting.map { className, instanceID in
                WSManEnvelopeWriter.endpointReference(resourceURI: WMISchema.wmiClass(named: className)?.resourceURI ?? "",
                                                      selectors: [("InstanceID", instanceID)], element: "p:ResultingResourceSettings")
            })
        case ("Msvm_VirtualSystemManagementService", "ModifySystemSettings"):
            let (className, properties) = try InvokeParameter.instance(payload.child("SystemSettings"), parameter: "SystemSettings")
            guard className.lowercased() == settings.name.lowercased(), let instanceID = properties["InstanceID"]?.first else {
                throw .invalidParameter("SystemSettings must be a \(settings.name) with its InstanceID.")
            }
            return (InvocationResult(returnValue: model.modifySystemSettings(instanceID: instanceID, properties: properties), jobID: nil), [])
        case ("Msvm_VirtualSystemManagementService", "DestroySystem"):
            let guid = try vmGUID(payload.child("AffectedSystem"), parameter: "AffectedSystem")
            guard let result = model.destroySystem(vm: guid) else { throw .invalidParameter("AffectedSystem names no virtual machine (WBEM_E_NOT_FOUND).") }
            return (result, [])
        case ("Msvm_VirtualSystemSnapshotService", "CreateSnapshot"):
            let guid = try vmGUID(payload.child("AffectedSystem"), parameter: "AffectedSystem")
            if let type = payload.child("SnapshotType")?.text.trimmingSpaces, !type.isEmpty, type != "2" {
                // 2 is a full (standard) snapshot; 32768 (recovery) is for backup applications.
                return (InvocationResult(returnValue: StateTransition.invalidParameter, jobID: nil), [])
            }
            guard let (result, snapshotID) = model.createSnapshot(vm: guid) else {
                throw .invalidParameter("AffectedSystem names no virtual machine (WBEM_E_NOT_FOUND).")
            }
            let resulting = snapshotID.map {
                WSManEnvelopeWriter.endpointReference(resourceURI: settings.resourceURI, selectors: [("InstanceID", "Microsoft:\($0)")],
                                                      element: "p:ResultingSnapshot")
            } ?? "<p:ResultingSnapshot xsi:nil=\"true\"/>"
            return (result, [resulting])
        case ("Msvm_VirtualSystemSnapshotService", "ApplySnapshot"),
             ("Msvm_VirtualSystemSnapshotService", "DestroySnapshot"),
             ("Msvm_VirtualSystemSnapshotService", "DestroySnapshotTree"):
            let parameter = method == "ApplySnapshot" ? "Snapshot" : method == "DestroySnapshot" ? "AffectedSnapshot" : "SnapshotSettingData"
            let selectors = try InvokeParameter.reference(payload.child(parameter), to: settings.name, parameter: parameter)
            guard let instanceID = selectors["InstanceID"], let id = HyperVModel.vmGUID(instanceID) else {
                throw .invalidParameter("\(parameter) must name a checkpoint's InstanceID.")
            }
            let result = switch method {
            case "ApplySnapshot": model.applySnapshot(id)
            case "DestroySnapshot": model.destroySnapshot(id)
            default: model.destroySnapshotTree(id)
            }
            guard let result else { throw .invalidParameter("\(parameter) names no checkpoint (WBEM_E_NOT_FOUND).") }
            return (result, [])
        case ("Msvm_VirtualSystemMigrationService", "MigrateVirtualSystemToHost"):
            let guid = try vmGUID(payload.child("ComputerSystem"), parameter: "ComputerSystem")
            guard let destination = payload.child("DestinationHost")?.text.trimmingSpaces, !destination.isEmpty else {
                return (InvocationResult(returnValue: StateTransition.invalidParameter, jobID: nil), [])
            }
            if let element = payload.child("MigrationSettingData"), element.attributes["nil"] != "true", !element.text.trimmingSpaces.isEmpty {
                let (className, properties) = try InvokeParameter.instance(element, parameter: "MigrationSettingData")
                guard className.lowercased() == WMISchema.migrationSettingData.name.lowercased() else {
                    throw .invalidParameter("MigrationSettingData must be a \(WMISchema.migrationSettingData.name).")
                }
                // 32768 VirtualSystem (VM with its storage in place), 32769 Storage, 32770 Staged,
                // 32771 VirtualSystemAndStorage.
                if let type = properties["MigrationType"]?.first, !["32768", "32771"].contains(type) {
                    return (InvocationResult(returnValue: StateTransition.invalidParameter, jobID: nil), [])
                }
            }
            guard let result = model.migrate(vm: guid, to: destination) else {
                throw .invalidParameter("ComputerSystem names no virtual machine (WBEM_E_NOT_FOUND).")
            }
            return (result, [])
        default:
            return nil
        }
    }

    /// The GUID of the VM an `Msvm_ComputerSystem` reference names (its `Name` selector).
    private func vmGUID(_ element: XMLElement?, parameter: String) throws(WSManFaultReply) -> String {
        let selectors = try InvokeParameter.reference(element, to: WMISchema.computerSystem.name, parameter: parameter)
        guard let name = selectors["Name"], let guid = GUIDText.normalized(name) else {
            throw .invalidParameter("\(parameter) must name a virtual machine by its Name.")
        }
        return guid.uppercased()
    }
}
