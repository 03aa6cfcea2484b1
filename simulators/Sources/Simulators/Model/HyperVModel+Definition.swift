import Foundation

/// Creating, changing and removing VMs (`Msvm_VirtualSystemManagementService`'s
/// `DefineSystem`, `ModifyResourceSettings`, `ModifySystemSettings`, `DestroySystem`).
extension HyperVModel {
    /// Hyper-V's defaults for a VM defined with no resource settings: 1 processor, 1024 MiB of
    /// static memory, no disks, no adapters (a VM made by `DefineSystem` has only what is added).
    static let defaultMemoryMiB = 1024

    /// `DefineSystem`: a new VM, Off, with a fresh GUID (Hyper-V assigns the VM ID; a caller's
    /// choice is not taken). Names may repeat, as on Hyper-V. Returns 4096 and a job that
    /// completes after the job duration; the VM exists from the start.
    public func defineSystem(name: String, generation: Int, notes: String?) -> (result: InvocationResult, guid: String) {
        let guid = UUID().uuidString.uppercased()
        let spec = VMSpec(name: name, guid: guid, biosGuid: UUID().uuidString.uppercased(), enabledState: 3, vcpus: 1,
                          memoryMiB: Self.defaultMemoryMiB, maxMemoryMiB: Self.defaultMemoryMiB, notes: notes, generation: generation,
                          disks: [], nics: [])
        return withAdvancedState { state in
            var record = VMRecord(spec: spec, guid: guid, biosGuid: spec.biosGuid, enabledState: 3, lastStateChange: Date())
            record.created = Date()
            state.indexByGUID[guid] = state.vms.count
            state.vms.append(record)
            let job = addJob(.define, vm: guid, in: &state)
            return (InvocationResult(returnValue: 4096, jobID: job), guid)
        }
    }

    /// `DestroySystem`: removes the VM and its checkpoints. A VM that is not Off or Saved, or
    /// that has a job running, is refused with 32775 (invalid state); nil for an unknown VM.
    public func destroySystem(vm guid: String) -> InvocationResult? {
        withAdvancedState { state -> InvocationResult? in
            guard let index = state.indexByGUID[guid.uppercased()] else { return nil }
            let vm = state.vms[index]
            guard vm.pendingJob == nil, [3, 6].contains(vm.enabledState) else {
                return InvocationResult(returnValue: StateTransition.invalidState, jobID: nil)
            }
            removeVM(at: index, in: &state)
            return InvocationResult(returnValue: 4096, jobID: addJob(.destroy, vm: vm.guid, in: &state))
        }
    }

    /// One `ResourceSettings` entry of `ModifyResourceSettings`: a class and the properties given.
    public struct ResourceSetting: Sendable {
        /// `Msvm_ProcessorSettingData` or `Msvm_MemorySettingData`.
        public var className: String
        /// Property values as text (`InstanceID`, `VirtualQuantity`, `Reservation`, `Limit` …).
        public var properties: [String: String]

        /// Creates an entry.
        public init(className: String, properties: [String: String]) {
            self.className = className
            self.properties = properties
        }
    }

    /// `ModifyResourceSettings` (synchronous, 0): processor count (`VirtualQuantity`) and memory
    /// (`VirtualQuantity`, `Reservation`, `Limit`, in MiB) of VMs that are Off. 32775 when a VM is
    /// not Off or has a job; 32773 (invalid parameter) for an InstanceID naming no VM's processor
    /// or memory settings, a class other than those two, a count of 0 or above the host's
    /// logical processors, or memory that is odd, under 32 MiB, or with Reservation >
    /// VirtualQuantity > Limit. Nothing changes unless every entry is valid.
    public func modifyResourceSettings(_ settings: [ResourceSetting]) -> Int {
        let maximumProcessors = max(1, min(240, host.sockets * host.logicalPerSocket))
        return withAdvancedState { state -> Int in
            var changed = state.vms
            for setting in settings {
                guard let instanceID = setting.properties["InstanceID"], let guid = Self.vmGUID(instanceID),
                      let index = state.indexByGUID[guid] else { return StateTransition.invalidParameter }
                guard changed[index].pendingJob == nil, changed[index].enabledState == 3 else { return StateTransition.invalidState }
                switch setting.className.lowercased() {
                case "msvm_processorsettingdata":
                    guard instanceID.uppercased().contains(InstanceFactory.processorResourceID) else { return StateTransition.invalidParameter }
                    if let text = setting.properties["VirtualQuantity"] {
                        guard let count = Int(text), (1...maximumProcessors).contains(count) else { return StateTransition.invalidParameter }
                        changed[index].spec.vcpus = count
                    }
                case "msvm_memorysettingdata":
                    guard instanceID.uppercased().contains(InstanceFactory.memoryResourceID) else { return StateTransition.invalidParameter }
                    var spec = changed[index].spec
                    let quantity = setting.properties["VirtualQuantity"].map { Int($0) ?? -1 } ?? spec.memoryMiB
                    let limit = setting.properties["Limit"].map { Int($0) ?? -1 } ?? max(spec.maxMemoryMiB, quantity)
                    let reservation = setting.properties["Reservation"].map { Int($0) ?? -1 } ?? quantity
                    guard quantity >= 32, quantity % 2 == 0, limit % 2 == 0, reservation % 2 == 0,
                          reservation >= 32, reservation <= quantity, quantity <= limit else { return StateTransition.invalidParameter }
                    spec.memoryMiB = quantity
                    spec.maxMemoryMiB = limit
                    changed[index].spec = spec
                default:
                    return StateTransition.invalidParameter
                }
            }
            state.vms = changed
            return 0
        }
    }

    /// `ModifySystemSettings` (synchronous, 0) on a VM's realized settings or a checkpoint's
    /// (by `InstanceID`): `ElementName`, `Notes` (joined) and, for a VM, `AutomaticStartupAction`
    /// (2, 3 or 4). 32773 for an unknown InstanceID or a bad value.
    public func modifySystemSettings(instanceID: String, properties: [String: [String]]) -> Int {
        guard let guid = Self.vmGUID(instanceID) else { return StateTransition.invalidParameter }
        return withAdvancedState { state -> Int in
            let name = properties["ElementName"]?.first
            let notes = properties["Notes"].map { $0.isEmpty ? nil : $0.joined(separator: "\n") }
            if let name, name.isEmpty { return StateTransition.invalidParameter }
            if let index = state.indexByGUID[guid] {
                if let action = properties["AutomaticStartupAction"]?.first {
                    guard let value = Int(action), [2, 3, 4].contains(value) else { return StateTransition.invalidParameter }
                    state.vms[index].automaticStartupAction = value
                }
                if let name { state.vms[index].spec.name = name }
                if let notes { state.vms[index].spec.notes = notes }
                return 0
            }
            for index in state.vms.indices {
                guard let position = state.vms[index].snapshots.firstIndex(where: { $0.id == guid }) else { continue }
                if let name { state.vms[index].snapshots[position].name = name }
                if let notes { state.vms[index].snapshots[position].notes = notes }
                return 0
            }
            return StateTransition.invalidParameter
        }
    }

    /// The uppercase GUID that opens a settings `InstanceID` (`Microsoft:<GUID>[\…]`).
    static func vmGUID(_ instanceID: String) -> String? {
        guard instanceID.lowercased().hasPrefix("microsoft:") else { return nil }
        let rest = instanceID.dropFirst("microsoft:".count).prefix { $0 != "\\" }
        return GUIDText.normalized(String(rest))?.uppercased()
    }

    /// Records a job for an operation whose effect is already made; it completes after the job
    /// duration (or when `settle` says, for one that `awaitsOutcome`). Returns its InstanceID.
    func addJob(_ kind: JobRecord.Kind, vm guid: String, in state: inout State, awaitsOutcome: Bool = false) -> String {
        var job = JobRecord(id: UUID().uuidString.uppercased(), vmGUID: guid, kind: kind, targetState: 0,
                            submitted: .now, submittedDate: Date(), duration: jobDuration)
        job.awaitsOutcome = awaitsOutcome
        state.jobs[job.id] = job
        state.jobOrder.append(job.id)
        return job.id
    }

    /// Removes the VM at `index` and re-indexes the rest.
    func removeVM(at index: Int, in state: inout State) {
        state.vms.remove(at: index)
        state.indexByGUID = Dictionary(uniqueKeysWithValues: state.vms.enumerated().map { ($1.guid, $0) })
    }
}
