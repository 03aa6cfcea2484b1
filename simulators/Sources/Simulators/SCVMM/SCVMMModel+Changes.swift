import Foundation

/// Creating, removing, checkpointing and moving VMs: each a VMM job (the VM shows the job's
/// transitional state until it ends). Placement is checked as VMM rates hosts: a VM needs its
/// memory free on the host (the host's `TotalMemory` less the memory of the VMs running or
/// paused there); otherwise the job fails with VMM's placement error.
extension SCVMMModel {
    /// What `New-SCVirtualMachine` asks for.
    public struct NewVM: Sendable {
        /// `Name`.
        public var name: String
        /// The host's name (as `Get-SCVMHost` lists it).
        public var hostName: String
        /// `CPUCount`, `Memory` (MB), generation, `Description`.
        public var cpuCount: Int
        public var memoryMB: Int
        public var generation: Int
        public var description: String
        /// The devices of its job group.
        public var devices: [SCVMMNewDevice]

        /// Creates a request.
        public init(name: String, hostName: String, cpuCount: Int, memoryMB: Int, generation: Int, description: String, devices: [SCVMMNewDevice] = []) {
            self.devices = devices
            self.name = name
            self.hostName = hostName
            self.cpuCount = cpuCount
            self.memoryMB = memoryMB
            self.generation = generation
            self.description = description
        }
    }

    /// `New-SCVirtualMachine`: a VM (fresh `ID` and `VMId`) on the host, `UnderCreation` while the
    /// job runs, then `PowerOff`. A name another VM on that host has is refused (the message is the
    /// simulator's, unverified); a host without the memory gets a job that fails with the placement
    /// error, and no VM is left.
    public func create(_ request: NewVM) throws(PSErrorRecord) -> (job: SCVMMJob, vm: SCVMMVirtualMachine) {
        let result = state.withLock { state -> Result<(SCVMMJob, SCVMMVirtualMachine), PSErrorRecord> in
            settle(&state)
            let host = request.hostName.lowercased()
            if state.order.contains(where: { state.vms[$0].map { $0.name.lowercased() == request.name.lowercased() && $0.hostName.lowercased() == host } ?? false }) {
                return .failure(.cmdlet("VMM cannot create the virtual machine \(request.name) because a virtual machine with that name already exists on host \(request.hostName). Specify a different name, and then try the operation again.",
                                        category: "ResourceExists", errorID: "VirtualMachineNameInUse"))
            }
            let id = UUID().uuidString.lowercased()
            let vmID = UUID().uuidString.lowercased()
            let (disks, adapters) = Self.deviceObjects(request.devices, vmID: vmID, hostName: request.hostName)
            var extra = [PSProperty("Description", .string(request.description)), PSProperty("Generation", .int(request.generation)),
                         PSProperty("VirtualHardDisks", disks), PSProperty("VirtualNetworkAdapters", adapters)]
            extra.append(PSProperty("VMCPath", .string(#"C:\ProgramData\Microsoft\Windows\Hyper-V\"# + request.name)))
            var vm = SCVMMVirtualMachine(name: request.name, id: id, vmID: vmID, biosGUID: UUID().uuidString.lowercased(), hostName: request.hostName,
                                         cpuCount: request.cpuCount, memoryMB: request.memoryMB, dynamicMemoryMaximumMB: nil,
                                         state: .underCreation, status: .underCreation, statusIsCondition: false, extra: extra)
            var job = newJob(.create, vm: vm, previous: .powerOff)
            job.failure = placementProblem(memoryMB: request.memoryMB, host: request.hostName, state: state, vmName: request.name)
                ?? deviceProblem(request, state: state)
            if job.failure == nil {
                state.order.append(id)
                state.vms[id] = vm
            } else {
                vm.state = .creationFailed
            }
            record(job, in: &state)
            return .success((job, vm))
        }
        return try result.get()
    }

    /// `Remove-SCVirtualMachine`: a VM that is Running, Paused or in a job is refused (12700);
    /// the VM shows `Deleting` and is gone when the job ends (its checkpoints with it).
    public func remove(vmID: String) throws(PSErrorRecord) -> SCVMMJob {
        try start(.remove, on: vmID, allowed: [.powerOff, .saved, .stored, .creationFailed, .missing])
    }

    /// `New-SCVMCheckpoint`: a checkpoint on top of the current one (the VM's last restored or
    /// newest), in any steady state; the checkpoint exists from the job's start.
    public func newCheckpoint(vmID: String, name: String?, description: String) throws(PSErrorRecord) -> SCVMMJob {
        let job = try start(.newCheckpoint, on: vmID, allowed: [.running, .powerOff, .saved, .paused, .stored])
        state.withLock { state in
            guard var vm = state.vms[job.vmID] else { return }
            let now = Date()
            let checkpoint = SCVMMCheckpoint(id: UUID().uuidString.lowercased(), name: name ?? SnapshotRecord.defaultName(vmName: vm.name, at: now),
                                             description: description, added: now, parentID: Self.current(of: vm), takenState: job.previousState,
                                             cpuCount: vm.cpuCount, memoryMB: vm.memoryMB)
            vm.checkpoints.append(checkpoint)
            vm.currentCheckpointID = checkpoint.id
            vm.checkpointsChanged = true
            state.vms[vm.id] = vm
        }
        return job
    }

    /// `Restore-SCVMCheckpoint`: VMM turns a running or paused VM off first; the VM then has the
    /// checkpoint's processors and memory and ends `Saved` (taken while it ran) or `PowerOff`.
    public func restoreCheckpoint(_ checkpointID: String) throws(PSErrorRecord) -> SCVMMJob {
        let vmID = try owner(of: checkpointID)
        return try start(.restoreCheckpoint(checkpointID.lowercased()), on: vmID, allowed: [.running, .powerOff, .saved, .paused])
    }

    /// `Remove-SCVMCheckpoint`: its children move to its parent; if it was the current one, its
    /// parent becomes current.
    public func removeCheckpoint(_ checkpointID: String) throws(PSErrorRecord) -> SCVMMJob {
        let vmID = try owner(of: checkpointID)
        return try start(.removeCheckpoint(checkpointID.lowercased()), on: vmID, allowed: [.running, .powerOff, .saved, .paused, .stored])
    }

    /// `Move-SCVirtualMachine` to another host of this server: `UnderMigration`, then the same
    /// state on the new host. The same host, or a host without the VM's memory free, makes a job
    /// that fails with VMM's placement error (the VM stays).
    public func move(vmID: String, toHost hostName: String) throws(PSErrorRecord) -> SCVMMJob {
        var job = try start(.move(host: hostName), on: vmID, allowed: [.running, .powerOff, .saved, .paused])
        state.withLock { state in
            guard let vm = state.vms[job.vmID] else { return }
            var failure: String?
            let from = hosts.first { $0.name.lowercased() == vm.hostName.lowercased() }
            let to = hosts.first { $0.name.lowercased() == hostName.lowercased() }
            if vm.hostName.lowercased() == hostName.lowercased() {
                failure = "The virtual machine \(vm.name) is already on host \(hostName). Select a different destination host, and then try the operation again."
            } else if let from, let to, from.platform.name != to.platform.name {
                // VMM migrates only between hosts of one virtualization platform (its wording and
                // error ID here are UNVERIFIED; the refusal itself is VMM's).
                failure = "Virtual machine \(vm.name) cannot be migrated from \(from.platform.name) host \(from.name) to \(to.platform.name) host "
                    + "\(to.name): VMM migrates virtual machines only between hosts of the same virtualization platform. (Error ID: 23732)"
            } else {
                failure = placementProblem(memoryMB: vm.memoryMB, host: hostName, state: state, vmName: vm.name)
            }
            job.failure = failure
            state.jobs[job.id]?.failure = failure
        }
        return job
    }

    /// `Set-SCVirtualMachine -StartAction`: `NeverAutoTurnOnVM`, `AlwaysAutoTurnOnVM` or
    /// `TurnOnVMIfRunningWhenVSStopped` (the VM's `StartAction` once the job ends), in any steady state.
    public func setStartAction(vmID: String, _ action: String) throws(PSErrorRecord) -> SCVMMJob {
        try start(.setStartAction(action), on: vmID, allowed: [.running, .powerOff, .saved, .paused, .stored])
    }

    /// `New-SCHardwareProfile`.
    public func newHardwareProfile(name: String, cpuCount: Int, memoryMB: Int, generation: Int) -> SCVMMHardwareProfile {
        let profile = SCVMMHardwareProfile(id: UUID().uuidString.lowercased(), name: name, cpuCount: cpuCount, memoryMB: memoryMB, generation: generation)
        state.withLock { $0.profiles[profile.id] = profile }
        return profile
    }

    /// A hardware profile by ID.
    public func hardwareProfile(id: String) -> SCVMMHardwareProfile? { state.withLock { $0.profiles[id.lowercased()] } }

    /// `Remove-SCHardwareProfile`; false when there is none.
    public func removeHardwareProfile(id: String) -> Bool { state.withLock { $0.profiles.removeValue(forKey: id.lowercased()) != nil } }

    /// The VM's checkpoints (`Get-SCVMCheckpoint -VM`), oldest first.
    public func checkpoints(ofVM vmID: String) -> [SCVMMCheckpoint] {
        virtualMachine(id: vmID)?.checkpoints ?? []
    }

    /// The VM a checkpoint belongs to, with the checkpoint.
    public func checkpoint(id: String) -> (vm: SCVMMVirtualMachine, checkpoint: SCVMMCheckpoint)? {
        virtualMachines().lazy.compactMap { vm in vm.checkpoints.first { $0.id == id.lowercased() }.map { (vm, $0) } }.first
    }

    // MARK: - Internals

    /// The current checkpoint: the last made or restored one still there.
    static func current(of vm: SCVMMVirtualMachine) -> String? {
        vm.currentCheckpointID.flatMap { id in vm.checkpoints.contains { $0.id == id } ? id : nil }
    }

    /// VMM's placement error when `host` lacks `memoryMB` free (its TotalMemory less the memory of
    /// VMs running or paused there); nil when it has room or reports no TotalMemory.
    func placementProblem(memoryMB: Int, host: String, state: State, vmName: String) -> String? {
        guard let record = hosts.first(where: { $0.name.lowercased() == host.lowercased() }),
              let total = (record.extra.first(where: { $0.name.lowercased() == "totalmemory" })?.value.text).flatMap({ Int64($0) }) else { return nil }
        let used = state.vms.values.filter { $0.hostName.lowercased() == host.lowercased() && [.running, .paused].contains($0.state) }
            .reduce(Int64(0)) { $0 + Int64($1.memoryMB) }
        let free = total / 1_048_576 - used
        guard Int64(memoryMB) > free else { return nil }
        return "Unable to place virtual machine \(vmName) on host \(record.name): the host does not have sufficient memory. "
            + "The virtual machine requires \(memoryMB) MB and \(max(0, free)) MB is available. (Error ID: 23801)"
    }

    /// Starts a job of `operation` on a VM in one of the `allowed` states.
    private func start(_ operation: SCVMMOperation, on vmID: String, allowed: [VMComputerSystemState]) throws(PSErrorRecord) -> SCVMMJob {
        let result = state.withLock { state -> Result<SCVMMJob, PSErrorRecord> in
            settle(&state)
            guard var vm = state.vms[vmID.lowercased()] else {
                return .failure(.cmdlet("VMM is unable to find the virtual machine with ID \(vmID). (Error ID: 801)", category: "ObjectNotFound", errorID: "801"))
            }
            if deniedVMNames.contains(vm.name.lowercased()) {
                return .failure(.cmdlet("You do not have access to the specified object. (Error ID: 1603)", category: "PermissionDenied", errorID: "1603"))
            }
            guard allowed.contains(vm.state) else {
                return .failure(.cmdlet("VMM cannot complete the requested operation because the virtual machine \(vm.name) is in the \(vm.state.name) state. (Error ID: 12700)",
                                        errorID: "12700"))
            }
            let job = newJob(operation, vm: vm, previous: vm.state)
            vm.state = operation.transitional
            state.vms[vm.id] = vm
            record(job, in: &state)
            return .success(job)
        }
        return try result.get()
    }

    private func owner(of checkpointID: String) throws(PSErrorRecord) -> String {
        guard let (vm, _) = checkpoint(id: checkpointID) else {
            throw .cmdlet("VMM is unable to find the checkpoint with ID \(checkpointID). (Error ID: 801)", category: "ObjectNotFound", errorID: "801")
        }
        return vm.id
    }

    private func newJob(_ operation: SCVMMOperation, vm: SCVMMVirtualMachine, previous: VMComputerSystemState) -> SCVMMJob {
        var job = SCVMMJob(id: UUID().uuidString.lowercased(), action: .start, vmID: vm.id, vmName: vm.name, previousState: previous,
                           started: .now, startedDate: Date(), duration: jobDuration, fails: false)
        job.operation = operation
        return job
    }

    private func record(_ job: SCVMMJob, in state: inout State) {
        state.jobs[job.id] = job
        state.jobOrder.append(job.id)
        state.running.insert(job.id)
        trim(&state)
    }

    /// What a non-power job's end does to its VM (called once, as the job leaves Running).
    func finish(_ operation: SCVMMOperation, of job: SCVMMJob, in state: inout State) {
        guard var vm = state.vms[job.vmID] else { return }
        let failed = job.failure != nil || job.fails
        vm.state = job.previousState
        switch operation {
        case .create:
            vm.state = .powerOff
        case .remove where !failed:
            state.vms[vm.id] = nil
            state.order.removeAll { $0 == vm.id }
            return
        case .restoreCheckpoint(let id) where !failed:
            if let checkpoint = vm.checkpoints.first(where: { $0.id == id }) {
                vm.cpuCount = checkpoint.cpuCount
                vm.memoryMB = checkpoint.memoryMB
                vm.state = [.running, .paused].contains(checkpoint.takenState) ? .saved : .powerOff
                vm.lastRestoredCheckpointID = id
                vm.currentCheckpointID = id
                vm.checkpointsChanged = true
            }
        case .removeCheckpoint(let id) where !failed:
            if let removed = vm.checkpoints.first(where: { $0.id == id }) {
                vm.checkpoints.removeAll { $0.id == id }
                for index in vm.checkpoints.indices where vm.checkpoints[index].parentID == id { vm.checkpoints[index].parentID = removed.parentID }
                if vm.lastRestoredCheckpointID == id { vm.lastRestoredCheckpointID = nil }
                if vm.currentCheckpointID == id { vm.currentCheckpointID = removed.parentID }
                vm.checkpointsChanged = true
            }
        case .move(let host) where !failed:
            vm.hostName = hosts.first { $0.name.lowercased() == host.lowercased() }?.name ?? host
        case .setStartAction(let action) where !failed:
            vm.extra.removeAll { $0.name.lowercased() == "startaction" }
            vm.extra.append(PSProperty("StartAction", .string(action)))
        default:
            break
        }
        if ![.running, .paused].contains(vm.state) { vm.runningSince = nil }
        state.vms[vm.id] = vm
    }
}
