import Foundation

/// `Msvm_VirtualSystemManagementService.AddResourceSettings`: the devices a VM is given after
/// `DefineSystem` — SCSI controllers, hard disk and DVD drives, the images in them, synthetic
/// network adapters and their connections to switches — each linked to the last by `Parent`.
extension HyperVModel {
    /// What an `AddResourceSettings` call made: the return value (and failing job), and for
    /// each entry added, its class and `InstanceID`.
    public struct AddedResources: Sendable {
        /// 0, or 4096 with a job that fails (the image or switch was not found), or 4
        /// (invalid parameter), or 32775 (the VM is not off).
        public var result: InvocationResult
        /// `ResultingResourceSettings`, in the order given; empty unless the result is 0.
        public var resulting: [(className: String, instanceID: String)]
    }

    /// The most synthetic SCSI controllers and network adapters a VM takes.
    static let maximumSCSIControllers = 4
    static let maximumAdapters = 8

    /// The invalid-parameter return value of the v2 resource methods.
    static let invalidResourceParameter = 4

    /// Adds `settings` to the VM whose settings `configuration` is (`Microsoft:<GUID>`): all or
    /// nothing. Nil when it names no VM. Refused with 32775 unless the VM is Off with no job; 4
    /// for an entry of an unknown kind, a `Parent` that is not this VM's (controller for a drive,
    /// empty drive of the right kind for an image, unconnected adapter for a connection), a
    /// taken or out-of-range location, a DVD drive on SCSI in a generation 1 VM, an image of the
    /// wrong type, a MAC that is not 12 hex digits, too many controllers or adapters. An image
    /// the host does not have or a switch it does not have fails the job, as on Hyper-V.
    public func addResourceSettings(configuration: String, _ settings: [ResourceSetting]) -> AddedResources? {
        guard let guid = Self.vmGUID(configuration), !configuration.contains("\\") else { return nil }
        return withAdvancedState { state -> AddedResources? in
            guard let index = state.indexByGUID[guid] else { return nil }
            var vm = state.vms[index]
            guard vm.pendingJob == nil, vm.enabledState == 3 else { return Self.refused(StateTransition.invalidState) }
            let knownFiles = Set((host.files ?? []).map { $0.lowercased() } + state.vms.flatMap { $0.disks.map { $0.path.lowercased() } })
            let switches = Self.switchNames(host: host, vms: state.vms)
            var resulting: [(String, String)] = []
            for setting in settings {
                switch Self.add(setting, to: &vm, files: knownFiles, switches: switches) {
                case .added(let className, let instanceID): resulting.append((className, instanceID))
                case .invalid: return Self.refused(Self.invalidResourceParameter)
                case .fails(let description):
                    var job = JobRecord(id: UUID().uuidString.uppercased(), vmGUID: guid, kind: .addResources, targetState: 0,
                                        submitted: .now, submittedDate: Date(), duration: jobDuration)
                    job.failure = (32768, "'\(vm.spec.name)' failed to add device. \(description)")
                    state.jobs[job.id] = job
                    state.jobOrder.append(job.id)
                    return AddedResources(result: InvocationResult(returnValue: 4096, jobID: job.id), resulting: [])
                }
            }
            state.vms[index] = vm
            return AddedResources(result: InvocationResult(returnValue: 0, jobID: nil), resulting: resulting)
        }
    }

    /// The host's switch names: `Default Switch`, the inventory's, then those adapters use.
    static func switchNames(host: HostSpec, vms: [VMRecord]) -> [String] {
        var seen = Set<String>()
        let all = [VirtualNetworkAdapter.defaultSwitchName] + (host.switches ?? []) + vms.flatMap { $0.adapters.compactMap(\.switchName) }
        return all.filter { seen.insert($0.lowercased()).inserted }
    }

    private enum Outcome {
        case added(String, String)
        case invalid
        case fails(String)
    }

    private static func refused(_ code: Int) -> AddedResources {
        AddedResources(result: InvocationResult(returnValue: code, jobID: nil), resulting: [])
    }

    private static func add(_ setting: ResourceSetting, to vm: inout VMRecord, files: Set<String>, switches: [String]) -> Outcome {
        let properties = setting.properties
        let allocation = WMISchema.resourceAllocationSettingData.name
        switch (setting.className.lowercased(), properties["ResourceType"]) {
        case (allocation.lowercased(), "6"):
            guard vm.scsiControllers.count < maximumSCSIControllers else { return .invalid }
            let controller = StorageController(id: UUID().uuidString.uppercased(), index: 0, kind: .scsi)
            vm.scsiControllers.append(controller.id)
            return .added(allocation, controller.instanceID(vm: vm.guid))
        case (allocation.lowercased(), "16"), (allocation.lowercased(), "17"):
            let optical = properties["ResourceType"] == "16"
            guard let parent = properties["Parent"].flatMap(WMIObjectPath.init), parent.className.lowercased() == allocation.lowercased(),
                  let controller = vm.controllers.first(where: { $0.instanceID(vm: vm.guid).lowercased() == parent["InstanceID"]?.lowercased() }),
                  !(optical && controller.kind == .scsi && vm.spec.resolvedGeneration == 1) else { return .invalid }
            let taken = vm.drives.filter { $0.controllerID == controller.id && $0.controllerIndex == controller.index }.map(\.location)
            let location = properties["AddressOnParent"].flatMap { Int($0) } ?? controller.locations.first { !taken.contains($0) } ?? -1
            guard controller.locations.contains(location), !taken.contains(location) else { return .invalid }
            let drive = VirtualDrive(controllerID: controller.id, controllerIndex: controller.index, location: location, optical: optical)
            vm.drives.append(drive)
            return .added(allocation, drive.instanceID(vm: vm.guid))
        case (WMISchema.storageAllocationSettingData.name.lowercased(), "31"):
            let optical = properties["ResourceSubType"] == InstanceFactory.opticalImageSubType
            guard optical || properties["ResourceSubType"] == InstanceFactory.hardDiskImageSubType,
                  let parent = properties["Parent"].flatMap(WMIObjectPath.init),
                  let drive = vm.drives.first(where: { $0.instanceID(vm: vm.guid).lowercased() == parent["InstanceID"]?.lowercased() }),
                  drive.optical == optical, !vm.disks.contains(where: { $0.drive.occupies(sameSlotAs: drive) }),
                  let path = properties["HostResource"], !path.isEmpty else { return .invalid }
            let type = path.split(separator: ".").last?.lowercased() ?? ""
            guard optical ? type == "iso" : ["vhd", "vhdx"].contains(type) else { return .invalid }
            guard files.contains(path.lowercased()) else {
                return .fails("The system cannot find the file specified. (0x80070002) '\(path)'")
            }
            let disk = VirtualHardDisk(path: path, location: drive.location, controllerID: drive.controllerID,
                                       controllerIndex: drive.controllerIndex, optical: optical)
            vm.disks.append(disk)
            if !optical { vm.spec.disks = (vm.spec.disks ?? []) + [VirtualDiskSpec(path: path)] }
            return .added(WMISchema.storageAllocationSettingData.name, #"Microsoft:\#(vm.guid)\\#(drive.controllerID)\\#(drive.controllerIndex)\\#(drive.location)\L"#)
        case (WMISchema.syntheticEthernetPortSettingData.name.lowercased(), "10"):
            guard vm.adapters.count < maximumAdapters else { return .invalid }
            let id = properties["VirtualSystemIdentifiers"].flatMap(GUIDText.normalized)?.uppercased() ?? UUID().uuidString.uppercased()
            guard !vm.adapters.contains(where: { $0.id == id }) else { return .invalid }
            let staticMAC = properties["StaticMacAddress"]?.lowercased() == "true"
            var mac = "00155D" + String(format: "%06X", Int.random(in: 0...0xFFFFFF))
            if staticMAC {
                guard let given = properties["Address"].flatMap(NetworkAdapterSpec.normalizedMAC) else { return .invalid }
                mac = given
            }
            vm.adapters.append(VirtualNetworkAdapter(id: id, mac: mac, staticMAC: staticMAC, switchName: nil))
            return .added(WMISchema.syntheticEthernetPortSettingData.name, #"Microsoft:\#(vm.guid)\\#(id)"#)
        case (WMISchema.ethernetPortAllocationSettingData.name.lowercased(), "33"):
            guard let parent = properties["Parent"].flatMap(WMIObjectPath.init),
                  let position = vm.adapters.firstIndex(where: { #"Microsoft:\#(vm.guid)\\#($0.id)"#.lowercased() == parent["InstanceID"]?.lowercased() }),
                  vm.adapters[position].switchName == nil,
                  let target = properties["HostResource"].flatMap(WMIObjectPath.init),
                  target.className.lowercased() == WMISchema.virtualEthernetSwitch.name.lowercased(), let id = target["Name"] else { return .invalid }
            guard let name = switches.first(where: { InstanceFactory.switchID($0).lowercased() == id.lowercased() }) else {
                return .fails("The virtual switch '\(id)' was not found. (0x80041002)")
            }
            vm.adapters[position].switchName = name
            let adapter = vm.adapters[position]
            var nics = vm.spec.nics ?? []
            nics.append(NetworkAdapterSpec(mac: adapter.staticMAC ? adapter.mac : nil, switch: name))
            vm.spec.nics = nics
            return .added(WMISchema.ethernetPortAllocationSettingData.name, #"Microsoft:\#(vm.guid)\\#(adapter.id)\C"#)
        default:
            return .invalid
        }
    }
}
