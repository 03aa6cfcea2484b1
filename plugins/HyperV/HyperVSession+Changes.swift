import BrokerCore
import Foundation
import WinRMSupport
import WSMan
import XML

/// The verbs beyond power buttons, as WMI v2 methods: `DefineSystem` (+ `ModifyResourceSettings`),
/// `DestroySystem`, `ModifySystemSettings` (autostart, checkpoint names),
/// `Msvm_VirtualSystemSnapshotService` (`CreateSnapshot`, `ApplySnapshot`, `DestroySnapshot`,
/// `DestroySnapshotTree`) and `Msvm_VirtualSystemMigrationService.MigrateVirtualSystemToHost`.
/// Each is sent once; a 4096 answer is returned as a running job that `jobStatus` follows.
extension HyperVSession {
    func apply(_ change: DomainChange, on ref: DomainRef) async throws(BackendError) -> JobStatus {
        switch change {
        case .lifecycle(let action):
            return try await start(action, on: ref)
        case .undefine(let options):
            return try await undefine(ref, options: options)
        case .createSnapshot(let request):
            return try await createSnapshot(of: ref, request)
        case .revertSnapshot(let name):
            let snapshot = try await snapshot(named: name, of: ref)
            return try await call(HyperVClasses.snapshotService, "ApplySnapshot", [.reference("Snapshot", settingsReference(snapshot.id))])
        case .deleteSnapshot(let name, let children):
            let snapshot = try await snapshot(named: name, of: ref)
            return children
                ? try await call(HyperVClasses.snapshotService, "DestroySnapshotTree", [.reference("SnapshotSettingData", settingsReference(snapshot.id))])
                : try await call(HyperVClasses.snapshotService, "DestroySnapshot", [.reference("AffectedSnapshot", settingsReference(snapshot.id))])
        case .migrate(let target):
            return try await migrate(ref, to: target)
        case .setAutostart(let enabled):
            let guid = try await system(ref)["Name"] ?? ref.uuid
            let settings = WMIEmbeddedInstance(className: HyperVClasses.settingData, properties: [
                .init("InstanceID", "Microsoft:\(guid)"), .init("AutomaticStartupAction", enabled ? "4" : "2", type: "uint16")])
            return try await call(HyperVClasses.managementService, "ModifySystemSettings", [.instance("SystemSettings", settings)])
        }
    }

    /// `DefineSystem` with the name, generation and notes, then `ModifyResourceSettings` with the
    /// processors and memory (MiB, rounded up to even as libvirt does) on the new VM's settings,
    /// then its disks and adapters (`attach`). What cannot fit (a switch the host lacks, too
    /// many IDE drives) is refused before anything is sent; a VM whose devices cannot all be
    /// given is removed again, so a define either makes the whole VM or none.
    /// Hyper-V assigns the VM ID: a requested UUID is not used (the message says so).
    func define(_ definition: DomainDefinition, on host: String?) async throws(BackendError) -> JobStatus {
        try definition.checkForWindows("Hyper-V", takesTemplates: false)
        let notes = definition.notesForWindows("Hyper-V")
        let plan = try await devicePlan(for: definition)

        var settings: [WMIEmbeddedInstance.Property] = [
            .init("ElementName", definition.name),
            .init("VirtualSystemSubType", definition.uefi ? "Microsoft:Hyper-V:SubType:2" : "Microsoft:Hyper-V:SubType:1"),
        ]
        if let description = definition.description, !description.isEmpty { settings.append(.init("Notes", array: [description])) }
        let output = try await invoke(HyperVClasses.managementService, "DefineSystem",
                                      [.instance("SystemSettings", WMIEmbeddedInstance(className: HyperVClasses.settingData, properties: settings))])
        let returnValue = Int(output.child("ReturnValue")?.text ?? "") ?? -1
        guard returnValue == 0 || returnValue == 4096 else { throw HyperVErrorMapping.returnValue(returnValue, method: "DefineSystem") }
        guard let created = output.child("ResultingSystem").flatMap(WSManEndpointReference.init)?.selector("Name"), !created.isEmpty else {
            throw BackendError(.internal, "DefineSystem answered \(returnValue) without naming the new VM (ResultingSystem)")
        }
        let guid = created.lowercased()
        if returnValue == 4096, let jobID = output.child("Job")?.selector("InstanceID") {
            // The VM's settings can be changed once it exists.
            let done = try await follow(jobID: jobID)
            guard done.phase == .completed else {
                return JobStatus(phase: .failed, jobID: jobID, message: "DefineSystem's job ended \(done.phase.rawValue)", domainUUID: guid)
            }
        }
        var status: JobStatus
        do {
            status = try await setResources(of: created, vcpus: definition.vcpus, memoryMiB: definition.memoryMiB)
            if status.phase == .running, let jobID = status.jobID { status = try await follow(jobID: jobID) }
            try await attach(definition, plan: plan, to: created)
        } catch {
            return await removeHalfMade(created, because: error)
        }
        // A listing that read the device settings while the devices were being added would keep
        // that read for a minute: the next one reads them again.
        devices.withLock { $0 = (nil, $0.epoch + 1) }
        status.domainUUID = guid
        status.resultingState = .shutoff
        status.message = (["VM \(guid) defined" + Self.devicesMade(definition)] + notes).joined(separator: "; ")
        return status
    }

    /// Removes a VM `define` made but could not finish, and says so: the define failed.
    private func removeHalfMade(_ guid: String, because error: BackendError) async -> JobStatus {
        let removed: String
        do {
            let destroy = try await call(HyperVClasses.managementService, "DestroySystem", [.reference("AffectedSystem", computerSystemReference(guid))])
            if destroy.phase == .running, let jobID = destroy.jobID { _ = try await follow(jobID: jobID) }
            removed = "the half-made VM \(guid.lowercased()) was removed"
        } catch let cleanup {
            removed = "removing the half-made VM \(guid.lowercased()) failed too (\(cleanup.message)): remove it by hand"
        }
        return JobStatus(phase: .failed, message: "define failed: \(error.message); \(removed)")
    }

    /// `, with 1 disk and 2 network adapters`, or nothing.
    private static func devicesMade(_ definition: DomainDefinition) -> String {
        var parts: [String] = []
        if !definition.disks.isEmpty { parts.append("\(definition.disks.count) drive(s)") }
        if !definition.interfaces.isEmpty { parts.append("\(definition.interfaces.count) network adapter(s)") }
        return parts.isEmpty ? "" : " with " + parts.joined(separator: " and ")
    }

    /// The VM's checkpoints, parents before children (siblings oldest first); `isCurrent` on
    /// the one its running configuration's `Parent` names.
    func snapshots(of ref: DomainRef) async throws(BackendError) -> [DomainSnapshot] {
        try await snapshotTree(of: ref).snapshots
    }

    /// The checkpoints as read: one WQL enumeration of the checkpoint settings and one of the
    /// VM's realized settings (whose `Parent` is the current checkpoint).
    private func snapshotTree(of ref: DomainRef) async throws(BackendError) -> HyperVSnapshots {
        let guid = try await system(ref)["Name"] ?? ref.uuid
        let rows = try await query(HyperVClasses.settingData, where: "VirtualSystemType = '\(Self.escaped(HyperVClasses.snapshotType))' "
                                   + "AND VirtualSystemIdentifier = '\(Self.escaped(guid))'")
        let realized = try await query(HyperVClasses.settingData, where: "InstanceID = '\(Self.escaped("Microsoft:" + guid))'").first
        return HyperVSnapshots(rows: rows, current: realized?["Parent"].flatMap(HyperVSnapshots.instanceID(inPath:)))
    }

    // MARK: - Steps

    private func undefine(_ ref: DomainRef, options: UndefineOptions) async throws(BackendError) -> JobStatus {
        let system = try await system(ref)
        if !options.snapshotsMetadata {
            let count = try await snapshots(of: ref).count
            if count > 0 {
                throw BackendError(.invalidState, "the VM has \(count) checkpoint(s); undefining it removes them too: ask for the snapshots to be removed")
            }
        }
        return try await call(HyperVClasses.managementService, "DestroySystem", [.reference("AffectedSystem", computerSystemReference(system["Name"] ?? ref.uuid))])
    }

    private func createSnapshot(of ref: DomainRef, _ request: SnapshotRequest) async throws(BackendError) -> JobStatus {
        let guid = try await system(ref)["Name"] ?? ref.uuid
        let output = try await invoke(HyperVClasses.snapshotService, "CreateSnapshot", [
            .reference("AffectedSystem", computerSystemReference(guid)), .value("SnapshotSettings", ""), .value("SnapshotType", "2")])
        let returnValue = Int(output.child("ReturnValue")?.text ?? "") ?? -1
        guard returnValue == 0 || returnValue == 4096 else { throw HyperVErrorMapping.returnValue(returnValue, method: "CreateSnapshot") }
        let jobID = output.child("Job")?.selector("InstanceID")
        var status = returnValue == 4096 && jobID != nil
            ? JobStatus(phase: .running, percentComplete: 0, jobID: jobID, message: "CreateSnapshot job started") : JobStatus.completed()
        guard request.name != nil || request.description != nil else { return status }
        // Naming it needs the checkpoint to exist: the job is followed to its end here.
        if let jobID, returnValue == 4096 {
            status = try await follow(jobID: jobID)
            guard status.phase == .completed else { return status }
        }
        var instanceID = output.child("ResultingSnapshot").flatMap(WSManEndpointReference.init)?.selector("InstanceID")
        if instanceID == nil {
            // No reference in the answer: the newest checkpoint is the one just made.
            let tree = try await snapshotTree(of: ref)
            instanceID = tree.snapshots.max { (tree.createdAt[$0.id ?? ""] ?? 0) < (tree.createdAt[$1.id ?? ""] ?? 0) }?.id
        }
        guard let instanceID else { throw BackendError(.internal, "CreateSnapshot did not say which checkpoint it made") }
        var properties: [WMIEmbeddedInstance.Property] = [.init("InstanceID", instanceID)]
        if let name = request.name { properties.append(.init("ElementName", name)) }
        if let description = request.description { properties.append(.init("Notes", array: [description])) }
        let named = try await call(HyperVClasses.managementService, "ModifySystemSettings",
                                   [.instance("SystemSettings", WMIEmbeddedInstance(className: HyperVClasses.settingData, properties: properties))])
        return named.phase == .running ? named : JobStatus(phase: .completed, jobID: status.jobID, message: "checkpoint created")
    }

    private func migrate(_ ref: DomainRef, to target: MigrationTarget) async throws(BackendError) -> JobStatus {
        guard let destination = target.host ?? target.uri.host, !destination.isEmpty else {
            throw BackendError(.invalidArgument, "Hyper-V: a migration needs the destination host's name")
        }
        let guid = try await system(ref)["Name"] ?? ref.uuid
        // 32768: the virtual system (its storage stays where it is); TransportType 5: TCP.
        let settings = WMIEmbeddedInstance(className: HyperVClasses.migrationSettingData, properties: [
            .init("MigrationType", "32768", type: "uint16"), .init("TransportType", "5", type: "uint16")])
        return try await call(HyperVClasses.migrationService, "MigrateVirtualSystemToHost", [
            .reference("ComputerSystem", computerSystemReference(guid)), .value("DestinationHost", destination),
            .instance("MigrationSettingData", settings)])
    }

    /// `ModifyResourceSettings` of the new VM's processor and memory settings (found by WQL).
    private func setResources(of guid: String, vcpus: Int, memoryMiB: UInt64) async throws(BackendError) -> JobStatus {
        let like = Self.escaped("Microsoft:\(guid)") + "%"
        let processor = try await query(HyperVClasses.processorSettings, where: "InstanceID LIKE '\(like)'").first?["InstanceID"]
        let memory = try await query(HyperVClasses.memorySettings, where: "InstanceID LIKE '\(like)'").first?["InstanceID"]
        guard let processor, let memory else { throw BackendError(.internal, "the new VM's processor or memory settings were not found") }
        let mebibytes = String((memoryMiB + 1) / 2 * 2)
        let cpu = WMIEmbeddedInstance(className: HyperVClasses.processorSettings, properties: [
            .init("InstanceID", processor), .init("VirtualQuantity", String(vcpus), type: "uint64")])
        let ram = WMIEmbeddedInstance(className: HyperVClasses.memorySettings, properties: [
            .init("InstanceID", memory), .init("VirtualQuantity", mebibytes, type: "uint64"),
            .init("Reservation", mebibytes, type: "uint64"), .init("Limit", mebibytes, type: "uint64")])
        return try await call(HyperVClasses.managementService, "ModifyResourceSettings",
                              [.instance("ResourceSettings", cpu), .instance("ResourceSettings", ram)])
    }

    /// The newest checkpoint of that name (Hyper-V allows two of one name).
    private func snapshot(named name: String, of ref: DomainRef) async throws(BackendError) -> DomainSnapshot {
        guard let newest = try await snapshotTree(of: ref).newest(named: name), newest.id != nil else {
            throw BackendError(.notFound, "snapshot not found: \(name)")
        }
        return newest
    }

    /// Invokes a method of one of the host's services and reads its answer as a job status:
    /// 0 completed, 4096 running with the job's InstanceID, anything else thrown, mapped.
    func call(_ service: String, _ method: String, _ parameters: [WSManParameter]) async throws(BackendError) -> JobStatus {
        let output = try await invoke(service, method, parameters)
        let returnValue = Int(output.child("ReturnValue")?.text ?? "") ?? -1
        switch returnValue {
        case 0:
            return JobStatus.completed()
        case 4096:
            guard let jobID = output.child("Job")?.selector("InstanceID") else { throw BackendError(.internal, "\(method) started a job without naming it") }
            return JobStatus(phase: .running, percentComplete: 0, jobID: jobID, message: "\(method) job started")
        default:
            throw HyperVErrorMapping.returnValue(returnValue, method: method)
        }
    }

    /// One invocation on the host's instance of `service` (selected by its class name, as libvirt does).
    func invoke(_ service: String, _ method: String, _ parameters: [WSManParameter]) async throws(BackendError) -> XMLElement {
        do {
            return try await client.invoke(classURI: HyperVClasses.virtualization(service), method: method,
                                           selectors: [("CreationClassName", service)], typed: parameters)
        } catch {
            throw error.backendError
        }
    }

    func computerSystemReference(_ guid: String) -> WSManEndpointReference {
        WSManEndpointReference(resourceURI: HyperVClasses.virtualization(HyperVClasses.computerSystem),
                               selectors: [.init("CreationClassName", HyperVClasses.computerSystem), .init("Name", guid)])
    }

    func settingsReference(_ instanceID: String?) -> WSManEndpointReference {
        WSManEndpointReference(resourceURI: HyperVClasses.virtualization(HyperVClasses.settingData),
                               selectors: [.init("InstanceID", instanceID ?? "")])
    }
}
