import Foundation

/// The VMM cmdlets that create, remove, checkpoint and move VMs: `New-SCHardwareProfile`,
/// `Remove-SCHardwareProfile`, `New-SCVirtualMachine`, `Remove-SCVirtualMachine`,
/// `New-SCVMCheckpoint`, `Get-SCVMCheckpoint`, `Restore-SCVMCheckpoint`, `Remove-SCVMCheckpoint`,
/// `Move-SCVirtualMachine` and `Set-SCVirtualMachine -StartAction`. Each job-making one takes `-RunAsynchronously` and `-JobVariable`
/// like the power cmdlets; a job that fails is the cmdlet's error when it waits for it.
extension SCVMMCmdlets {
    static func changeCommands(_ model: SCVMMModel) -> [PSCommandDefinition] {
        [getTemplate(model), newHardwareProfile(model), newVirtualDiskDrive(model), newVirtualNetworkAdapter(model), removeHardwareProfile(model), newVirtualMachine(model), removeVirtualMachine(model),
         newCheckpoint(model), getCheckpoint(model), restoreCheckpoint(model), removeCheckpoint(model), moveVirtualMachine(model),
         setVirtualMachine(model)]
    }

    static let jobParameters = [.flag("RunAsynchronously"), PSParameter("JobVariable", typeName: "System.String"), PSParameter("JobGroup"),
                                PSParameter("VMMServer"), PSParameter("OnBehalfOfUser"), PSParameter("OnBehalfOfUserRole")]

    static func newHardwareProfile(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "New-SCHardwareProfile", parameters: [
            PSParameter("Name", typeName: "System.String"), PSParameter("CPUCount", typeName: "System.Byte"), PSParameter("MemoryMB", typeName: "System.Int32"),
            PSParameter("Generation", typeName: "System.Int32"), PSParameter("Description", typeName: "System.String"), PSParameter("VMMServer"),
            PSParameter("JobGroup"), PSParameter("Owner"),
        ], implementingType: prefix + "NewHardwareProfileCmdlet") { call, _ throws(PSErrorRecord) in
            guard let name = call["Name"]?.text, !name.isEmpty else { throw missing("Name", command: "New-SCHardwareProfile") }
            let cpu = try integer(call["CPUCount"], parameter: "CPUCount", range: 1...64) ?? 1
            let memory = try integer(call["MemoryMB"], parameter: "MemoryMB", range: 16...12_582_912) ?? 512
            let generation = try integer(call["Generation"], parameter: "Generation", range: 1...2) ?? 1
            return [.object(model.newHardwareProfile(name: name, cpuCount: cpu, memoryMB: memory, generation: generation).object)]
        }
    }

    static func removeHardwareProfile(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "Remove-SCHardwareProfile", parameters: [PSParameter("HardwareProfile", position: 0), PSParameter("VMMServer")],
                            implementingType: prefix + "RemoveHardwareProfileCmdlet") { call, _ throws(PSErrorRecord) in
            guard case .object(let object)? = call["HardwareProfile"], case .hardwareProfile(let id)? = object.reference, model.removeHardwareProfile(id: id) else {
                throw validation("HardwareProfile")
            }
            return []
        }
    }

    /// `Get-SCVMTemplate [-Name N] [-ID G]`: the library's templates (none found: no output).
    static func getTemplate(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "Get-SCVMTemplate", parameters: [PSParameter("Name", typeName: "System.String"), PSParameter("ID"), PSParameter("VMMServer"), .flag("All")],
                            implementingType: prefix + "GetTemplateCmdlet") { call, _ throws(PSErrorRecord) in
            let name = call["Name"]?.text.lowercased(), id = call["ID"]?.text.lowercased()
            return model.templates.filter { (name == nil || $0.name.lowercased() == name) && (id == nil || $0.id == id) }.map { .object($0.object) }
        }
    }

    /// `New-SCVirtualDiskDrive -IDE|-SCSI -Bus B -LUN L -JobGroup G -UseLocalVirtualHardDisk -Path P -FileName F`:
    /// an existing VHD(X) on the host for the VM `New-SCVirtualMachine -JobGroup G` makes (library
    /// disks, `-VirtualHardDisk`, and drives of existing VMs, `-VM`, are not simulated).
    static func newVirtualDiskDrive(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "New-SCVirtualDiskDrive", parameters: [
            .flag("IDE"), .flag("SCSI"), PSParameter("Bus", typeName: "System.Byte"), PSParameter("LUN", typeName: "System.Byte"),
            PSParameter("JobGroup", typeName: "System.Guid"), .flag("UseLocalVirtualHardDisk"), PSParameter("Path", typeName: "System.String"),
            PSParameter("FileName", typeName: "System.String"), PSParameter("VMMServer"), PSParameter("VirtualHardDisk"), PSParameter("VM"),
        ], implementingType: prefix + "NewVirtualDiskDriveCmdlet") { call, _ throws(PSErrorRecord) in
            guard call.isSet("IDE") != call.isSet("SCSI") else { throw missing("IDE or SCSI", command: "New-SCVirtualDiskDrive") }
            guard let group = call["JobGroup"]?.text, !group.isEmpty else { throw missing("JobGroup", command: "New-SCVirtualDiskDrive") }
            guard call["VirtualHardDisk"] == nil, call["VM"] == nil, call.isSet("UseLocalVirtualHardDisk") else {
                throw validation("UseLocalVirtualHardDisk")
            }
            guard let path = call["Path"]?.text, !path.isEmpty, let file = call["FileName"]?.text, !file.isEmpty else {
                throw missing("Path, FileName", command: "New-SCVirtualDiskDrive")
            }
            let bus = try integer(call["Bus"], parameter: "Bus", range: 0...3) ?? 0
            let lun = try integer(call["LUN"], parameter: "LUN", range: 0...63) ?? 0
            let full = path.hasSuffix("\\") ? path + file : path + "\\" + file
            let kind: SCVMMNewDevice.Bus = call.isSet("IDE") ? .ide : .scsi
            try model.addPendingDevice(.disk(bus: kind, busIndex: bus, lun: lun, path: full), jobGroup: group)
            return [.object(PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.VirtualDiskDrive", properties: [
                PSProperty("BusType", .string(kind.rawValue)), PSProperty("Bus", .int(bus)), PSProperty("LUN", .int(lun)),
                PSProperty("VirtualHardDisk", .string(full)),
            ], display: "\(kind.rawValue) \(bus):\(lun)"))]
        }
    }

    /// `New-SCVirtualNetworkAdapter -JobGroup G [-VirtualNetwork N] [-MACAddressType Static -MACAddress M] [-Synthetic]`:
    /// an adapter for the VM `New-SCVirtualMachine -JobGroup G` makes.
    static func newVirtualNetworkAdapter(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "New-SCVirtualNetworkAdapter", parameters: [
            PSParameter("JobGroup", typeName: "System.Guid"), PSParameter("VirtualNetwork", typeName: "System.String"),
            PSParameter("MACAddressType", typeName: "System.String"), PSParameter("MACAddress", typeName: "System.String"), .flag("Synthetic"),
            PSParameter("VMMServer"), PSParameter("VMNetwork"), PSParameter("VM"),
        ], implementingType: prefix + "NewVirtualNetworkAdapterCmdlet") { call, _ throws(PSErrorRecord) in
            guard let group = call["JobGroup"]?.text, !group.isEmpty else { throw missing("JobGroup", command: "New-SCVirtualNetworkAdapter") }
            guard call["VMNetwork"] == nil, call["VM"] == nil else { throw validation("VMNetwork") }
            let type = call["MACAddressType"]?.text.lowercased() ?? "dynamic"
            guard ["dynamic", "static"].contains(type) else { throw validation("MACAddressType") }
            var mac: String?
            if type == "static" {
                guard let given = call["MACAddress"]?.text, let bare = NetworkAdapterSpec.normalizedMAC(given) else { throw validation("MACAddress") }
                mac = stride(from: 0, to: 12, by: 2).map { String(bare.dropFirst($0).prefix(2)) }.joined(separator: ":")
            }
            let network = call["VirtualNetwork"]?.text
            try model.addPendingDevice(.adapter(network: network?.isEmpty == false ? network : nil, mac: mac), jobGroup: group)
            return [.object(PSObject(typeName: "Microsoft.SystemCenter.VirtualMachineManager.VirtualNetworkAdapter", properties: [
                PSProperty("VirtualNetwork", network.map(PSValue.string) ?? .null), PSProperty("MACAddressType", .string(type == "static" ? "Static" : "Dynamic")),
                PSProperty("MACAddress", mac.map(PSValue.string) ?? .null),
            ], display: "Network Adapter"))]
        }
    }

    static func newVirtualMachine(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "New-SCVirtualMachine", aliases: ["New-VM"], parameters: [
            PSParameter("Name", position: 0, typeName: "System.String"), PSParameter("VMHost"), PSParameter("Path", typeName: "System.String"),
            PSParameter("HardwareProfile"), PSParameter("CPUCount", typeName: "System.Byte"), PSParameter("MemoryMB", typeName: "System.Int32"),
            PSParameter("Description", typeName: "System.String"), PSParameter("VMTemplate"), PSParameter("StartAction"), PSParameter("StopAction"),
        ] + jobParameters, implementingType: prefix + "NewVmCmdlet") { call, interpreter throws(PSErrorRecord) in
            guard let name = call["Name"]?.text, !name.isEmpty else { throw missing("Name", command: "New-SCVirtualMachine") }
            guard case .object(let hostObject)? = call["VMHost"], case .host(let hostID)? = hostObject.reference,
                  let host = model.hosts.first(where: { $0.id == hostID }) else { throw validation("VMHost") }
            guard let path = call["Path"]?.text, !path.isEmpty else { throw missing("Path", command: "New-SCVirtualMachine") }
            var cpu = 1, memory = 512, generation = 1
            if let value = call["VMTemplate"] {
                guard case .object(let object) = value, case .template(let id)? = object.reference,
                      let template = model.templates.first(where: { $0.id == id }) else { throw validation("VMTemplate") }
                (cpu, memory) = (template.cpuCount, template.memoryMB)
            }
            if let value = call["HardwareProfile"] {
                guard case .object(let object) = value, case .hardwareProfile(let id)? = object.reference, let profile = model.hardwareProfile(id: id) else {
                    throw validation("HardwareProfile")
                }
                (cpu, memory, generation) = (profile.cpuCount, profile.memoryMB, profile.generation)
            }
            cpu = try integer(call["CPUCount"], parameter: "CPUCount", range: 1...64) ?? cpu
            memory = try integer(call["MemoryMB"], parameter: "MemoryMB", range: 16...12_582_912) ?? memory
            let devices = call["JobGroup"].map { model.takePendingDevices(jobGroup: $0.text) } ?? []
            let (job, vm) = try model.create(SCVMMModel.NewVM(name: name, hostName: host.name, cpuCount: cpu, memoryMB: memory, generation: generation,
                                                             description: call["Description"]?.text ?? "", devices: devices))
            let ended = try finish(job, model: model, call: call, interpreter: interpreter)
            let now = ContinuousClock.now
            let current = model.virtualMachine(id: vm.id) ?? vm
            _ = ended
            return [.object(current.object(platform: host.platform, at: now))]
        }
    }

    static func removeVirtualMachine(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "Remove-SCVirtualMachine", aliases: ["Remove-VM"], parameters: [PSParameter("VM", position: 0), .flag("Force")] + jobParameters,
                            implementingType: prefix + "RemoveVmCmdlet") { call, interpreter throws(PSErrorRecord) in
            let job = try model.remove(vmID: try vmArgument(call["VM"]))
            _ = try finish(job, model: model, call: call, interpreter: interpreter)
            return []
        }
    }

    static func newCheckpoint(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "New-SCVMCheckpoint", aliases: ["New-VMCheckpoint"], parameters: [
            PSParameter("VM", position: 0), PSParameter("Name", typeName: "System.String"), PSParameter("Description", typeName: "System.String"),
        ] + jobParameters, implementingType: prefix + "NewVMCheckpointCmdlet") { call, interpreter throws(PSErrorRecord) in
            let job = try model.newCheckpoint(vmID: try vmArgument(call["VM"]), name: call["Name"].flatMap { $0.isNull ? nil : $0.text },
                                              description: call["Description"]?.text ?? "")
            _ = try finish(job, model: model, call: call, interpreter: interpreter)
            guard let vm = model.virtualMachine(id: job.vmID), let checkpoint = vm.checkpoints.last else { return [] }
            return [.object(checkpoint.object(vmName: vm.name, vmID: vm.id))]
        }
    }

    static func getCheckpoint(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "Get-SCVMCheckpoint", aliases: ["Get-VMCheckpoint"], parameters: [
            PSParameter("VM", position: 0), .flag("MostRecent"), PSParameter("ID", typeName: "System.Guid"), PSParameter("VMMServer"),
        ], implementingType: prefix + "GetVMCheckpointCmdlet") { call, _ throws(PSErrorRecord) in
            if let id = call["ID"] {
                let guid = try guidArgument(id, parameter: "ID")
                return model.checkpoint(id: guid).map { [.object($0.checkpoint.object(vmName: $0.vm.name, vmID: $0.vm.id))] } ?? []
            }
            let vmID = try vmArgument(call["VM"])
            guard let vm = model.virtualMachine(id: vmID) else { return [] }
            var checkpoints = vm.checkpoints
            if call.isSet("MostRecent") { checkpoints = checkpoints.last.map { [$0] } ?? [] }
            return checkpoints.map { .object($0.object(vmName: vm.name, vmID: vm.id)) }
        }
    }

    static func restoreCheckpoint(_ model: SCVMMModel) -> PSCommandDefinition {
        checkpointAction(model, name: "Restore-SCVMCheckpoint", type: "RestoreVMCheckpointCmdlet") { id throws(PSErrorRecord) in try model.restoreCheckpoint(id) }
    }

    static func removeCheckpoint(_ model: SCVMMModel) -> PSCommandDefinition {
        checkpointAction(model, name: "Remove-SCVMCheckpoint", type: "RemoveVMCheckpointCmdlet") { id throws(PSErrorRecord) in try model.removeCheckpoint(id) }
    }

    static func moveVirtualMachine(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "Move-SCVirtualMachine", aliases: ["Move-VM"], parameters: [
            PSParameter("VM", position: 0), PSParameter("VMHost"), PSParameter("Path", typeName: "System.String"), .flag("UseLAN"),
            .flag("UseDiffDiskOptimization"), .flag("BlockLiveMigrationIfHostBusy"),
        ] + jobParameters, implementingType: prefix + "MoveVmCmdlet") { call, interpreter throws(PSErrorRecord) in
            let vmID = try vmArgument(call["VM"])
            guard case .object(let hostObject)? = call["VMHost"], case .host(let hostID)? = hostObject.reference,
                  let host = model.hosts.first(where: { $0.id == hostID }) else { throw validation("VMHost") }
            let job = try model.move(vmID: vmID, toHost: host.name)
            _ = try finish(job, model: model, call: call, interpreter: interpreter)
            guard let vm = model.virtualMachine(id: vmID) else { return [] }
            return [.object(vm.object(platform: model.platform(ofHost: vm.hostName), at: ContinuousClock.now))]
        }
    }

    /// `Set-SCVirtualMachine -VM -StartAction` (the one property the simulator changes).
    static func setVirtualMachine(_ model: SCVMMModel) -> PSCommandDefinition {
        PSCommandDefinition(name: "Set-SCVirtualMachine", aliases: ["Set-VM"], parameters: [
            PSParameter("VM", position: 0), PSParameter("StartAction", typeName: "Microsoft.VirtualManager.Utils.VMStartAction"),
        ] + jobParameters, implementingType: prefix + "SetVmCmdlet") { call, interpreter throws(PSErrorRecord) in
            let vmID = try vmArgument(call["VM"])
            let actions = ["NeverAutoTurnOnVM", "AlwaysAutoTurnOnVM", "TurnOnVMIfRunningWhenVSStopped"]
            guard let given = call["StartAction"]?.text, let action = actions.first(where: { $0.lowercased() == given.lowercased() }) else {
                throw PSErrorRecord(message: "Cannot bind parameter 'StartAction'. Cannot convert value \"\(call["StartAction"]?.text ?? "")\" to type \"Microsoft.VirtualManager.Utils.VMStartAction\". Error: \"Unable to match the identifier name \(call["StartAction"]?.text ?? "") to a valid enumerator name. Specify one of the following enumerator names and try again:\n\(actions.joined(separator: ", "))\"",
                                    category: "InvalidArgument", reason: "ParameterBindingException", errorID: "CannotConvertArgumentNoMessage")
            }
            _ = try finish(try model.setStartAction(vmID: vmID, action), model: model, call: call, interpreter: interpreter)
            guard let vm = model.virtualMachine(id: vmID) else { return [] }
            return [.object(vm.object(platform: model.platform(ofHost: vm.hostName), at: ContinuousClock.now))]
        }
    }

    // MARK: - Helpers

    /// A cmdlet that starts a job on one checkpoint (`-VMCheckpoint`, or checkpoints piped in).
    private static func checkpointAction(_ model: SCVMMModel, name: String, type: String,
                                         _ start: @escaping @Sendable (String) throws(PSErrorRecord) -> SCVMMJob) -> PSCommandDefinition {
        PSCommandDefinition(name: name, parameters: [PSParameter("VMCheckpoint", position: 0), .flag("Confirm")] + jobParameters,
                            implementingType: prefix + type) { call, interpreter throws(PSErrorRecord) in
            let targets: [PSValue?] = call["VMCheckpoint"] != nil || (call.input ?? []).isEmpty ? [call["VMCheckpoint"]] : (call.input ?? []).map { $0 }
            for target in targets {
                guard case .object(let object)? = target, case .checkpoint(let id)? = object.reference else { throw validation("VMCheckpoint") }
                _ = try finish(try start(id), model: model, call: call, interpreter: interpreter)
            }
            return []
        }
    }

    /// Sets `-JobVariable`, waits for the job unless `-RunAsynchronously`, and throws its failure
    /// when it waited.
    private static func finish(_ started: SCVMMJob, model: SCVMMModel, call: PSCommandCall, interpreter: PSInterpreter) throws(PSErrorRecord) -> SCVMMJob {
        var job = started
        if !call.isSet("RunAsynchronously") { job = model.finish(jobID: job.id) ?? job }
        if let variable = call["JobVariable"]?.text, !variable.isEmpty {
            interpreter.setVariable(variable, .object(job.object(at: ContinuousClock.now)))
        }
        if job.status == .failed { throw .cmdlet(job.problem, errorID: String(job.errorCode)) }
        return job
    }

    private static func missing(_ parameter: String, command: String) -> PSErrorRecord {
        PSErrorRecord(message: "Cannot process command because of one or more missing mandatory parameters: \(parameter).", category: "InvalidArgument",
                      reason: "ParameterBindingException", errorID: "MissingMandatoryParameter,\(prefix)\(command)")
    }

    private static func validation(_ parameter: String) -> PSErrorRecord {
        PSErrorRecord(message: "Cannot validate argument on parameter '\(parameter)'. The argument is null or not an object of the expected type. Provide a valid value for the argument, and then try running the command again.",
                      category: "InvalidData", reason: "ParameterBindingValidationException", errorID: "ParameterArgumentValidationError")
    }

    private static func integer(_ value: PSValue?, parameter: String, range: ClosedRange<Int>) throws(PSErrorRecord) -> Int? {
        guard let value, !value.isNull else { return nil }
        guard let number = Int(value.text), range.contains(number) else {
            throw PSErrorRecord(message: "Cannot validate argument on parameter '\(parameter)'. The \(value.text) argument is not in the range \(range.lowerBound)…\(range.upperBound).",
                                category: "InvalidData", reason: "ParameterBindingValidationException", errorID: "ParameterArgumentValidationError")
        }
        return number
    }
}
