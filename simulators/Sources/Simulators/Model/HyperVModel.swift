import Foundation

/// The simulated Hyper-V host's state: its VMs and their jobs. Thread-safe; every query sees
/// a consistent snapshot. Jobs are advanced lazily from the clock on each access, so a job
/// reaches JobState 7 in the same instant its VM reaches the target state.
public final class HyperVModel: Sendable {
    /// The host as configured.
    public let host: HostSpec
    /// How long a state-change job runs before completing.
    public let jobDuration: Duration
    /// How long completed jobs stay queryable (Hyper-V's `TimeBeforeRemoval` is 5 minutes).
    public let jobRetention: Duration
    /// Every state-change job fails (JobState 10 with an ErrorDescription), for tests of
    /// clients' failure paths.
    public let failJobs: Bool
    /// The hosts VMs can be migrated to (`MigrateVirtualSystemToHost`'s DestinationHost).
    public let migrationPeers: [MigrationPeer]

    struct State {
        var vms: [VMRecord]
        var indexByGUID: [String: Int]
        var jobs: [String: JobRecord] = [:]
        var jobOrder: [String] = []
        var nextProcessID = 4100
    }

    let state: Locked<State>
    let bootTime = Date()

    /// Builds the model from a validated inventory.
    public init(inventory: HyperVInventory, jobDuration: Duration = .milliseconds(200), jobRetention: Duration = .seconds(300),
                failJobs: Bool = false, migrationPeers: [MigrationPeer] = []) {
        self.failJobs = failJobs
        self.migrationPeers = migrationPeers
        host = inventory.host
        self.jobDuration = jobDuration
        self.jobRetention = jobRetention
        var vms: [VMRecord] = []
        var index: [String: Int] = [:]
        var processID = 4100
        let now = ContinuousClock.now
        for spec in inventory.vms {
            let guid = (GUIDText.normalized(spec.guid) ?? spec.guid).uppercased()
            let bios = (GUIDText.normalized(spec.biosGuid) ?? spec.biosGuid).uppercased()
            var record = VMRecord(spec: spec, guid: guid, biosGuid: bios, enabledState: spec.enabledState,
                                  lastStateChange: Date(timeIntervalSinceNow: -3600))
            record.resolveDevices()
            if spec.enabledState == 2 || spec.enabledState == 9 {
                // Started an hour ago; a paused VM was paused ten minutes ago.
                record.processID = processID
                processID += 4
                record.runningSince = now - .seconds(3600)
                if spec.enabledState == 9 { record.pausedSince = now - .seconds(600) }
            }
            index[guid] = vms.count
            vms.append(record)
        }
        state = Locked(State(vms: vms, indexByGUID: index, nextProcessID: processID))
    }

    /// The current `EnabledState` of a VM by GUID (any case), or nil when unknown.
    public func enabledState(ofVM guid: String) -> Int? {
        withAdvancedState { state in
            state.indexByGUID[guid.uppercased()].map { state.vms[$0].enabledState }
        }
    }

    /// Every instance of `wmiClass`, as of now.
    public func instances(of wmiClass: WMIClass) -> [WMIInstance] {
        let (vms, jobs) = withAdvancedState { state in (state.vms, state.jobOrder.compactMap { state.jobs[$0] }) }
        let factory = InstanceFactory(host: host, bootTime: bootTime, now: ContinuousClock.now, jobDuration: jobDuration)
        return factory.instances(of: wmiClass, vms: vms, jobs: jobs)
    }

    /// `Msvm_VirtualSystemManagementService.GetSummaryInformation`: one `Msvm_SummaryInformation`
    /// per VM whose settings `settingData` names (VSSD `InstanceID`s, `Microsoft:<GUID>`, in order;
    /// one naming no VM gets an entry with an empty `Name`), or per VM when nil; with the
    /// properties of the `requested` codes (unknown codes ignored) and always `Name`.
    public func summaryInformation(settingData: [String]?, requested: [UInt32]) -> [WMIInstance] {
        let vms = withAdvancedState { state in state.vms }
        let factory = InstanceFactory(host: host, bootTime: bootTime, now: ContinuousClock.now, jobDuration: jobDuration)
        let fields = Set(requested.compactMap(SummaryInformationField.init(rawValue:)))
        guard let settingData else { return vms.map { factory.summary($0, requested: fields) } }
        return settingData.map { instanceID in
            let guid = instanceID.lowercased().hasPrefix("microsoft:") ? String(instanceID.dropFirst(10)).uppercased() : ""
            guard let vm = vms.first(where: { $0.guid == guid }) else { return factory.missingSummary() }
            return factory.summary(vm, requested: fields)
        }
    }

    /// The instance of `wmiClass` whose properties equal `selectors` (case-insensitively; the
    /// `__cimnamespace` selector is ignored), or nil. Throws when a selector names no property.
    public func instance(of wmiClass: WMIClass, selectors: [(name: String, value: String)]) throws(ModelError) -> WMIInstance? {
        let relevant = selectors.filter { $0.name.lowercased() != "__cimnamespace" }
        for selector in relevant where wmiClass.property(named: selector.name) == nil {
            throw .unknownSelector(selector.name, className: wmiClass.name)
        }
        guard !relevant.isEmpty else { throw .missingSelectors(className: wmiClass.name) }
        return instances(of: wmiClass).first { instance in
            relevant.allSatisfy { selector in
                instance[selector.name]?.text?.lowercased() == selector.value.lowercased()
            }
        }
    }

    /// `Msvm_ComputerSystem.RequestStateChange` on the VM named `guid`: nil when there is no
    /// such VM, else the return value and, for 4096, the new job.
    public func requestStateChange(vm guid: String, requestedState: Int) -> InvocationResult? {
        startJob(vm: guid, kind: .requestStateChange(requestedState)) { StateTransition.plan(current: $0, requested: requestedState) }
    }

    /// `Msvm_ConcreteJob.RequestStateChange` on job `id`: 4 (Terminate) or 5 (Kill) ends a
    /// running, cancellable job at once (JobState 8) and puts its VM back where it was; 0 then.
    /// 32770 for another request or a job that cannot be cancelled, 32775 for an ended job;
    /// nil when there is no such job.
    public func requestJobStateChange(job id: String, requestedState: Int) -> Int? {
        withAdvancedState { state -> Int? in
            guard var job = state.jobs[id.uppercased()] ?? state.jobs[id] else { return nil }
            guard [4, 5].contains(requestedState), job.cancellable else { return 32770 }
            guard job.completedAt == nil else { return 32775 }
            job.completedAt = .now
            job.terminated = true
            state.jobs[job.id] = job
            if let index = state.indexByGUID[job.vmGUID] {
                state.vms[index].enabledState = job.previousState
                state.vms[index].requestedState = 12
                state.vms[index].pendingJob = nil
                state.vms[index].lastStateChange = Date()
                state.vms[index].reached(job.previousState, at: .now)
            }
            return 0
        }
    }

    /// `Msvm_ShutdownComponent.InitiateShutdown` for the VM named `guid`.
    public func initiateShutdown(vm guid: String) -> InvocationResult? {
        startJob(vm: guid, kind: .shutdown) { StateTransition.planShutdown(current: $0) }
    }

    private func startJob(vm guid: String, kind: JobRecord.Kind, plan: (Int) -> StateTransition) -> InvocationResult? {
        let duration = jobDuration
        return withAdvancedState { state -> InvocationResult? in
            guard let index = state.indexByGUID[guid.uppercased()] else { return nil }
            var vm = state.vms[index]
            if vm.pendingJob != nil { return InvocationResult(returnValue: StateTransition.invalidState, jobID: nil) }
            switch plan(vm.enabledState) {
            case .refused(let code):
                return InvocationResult(returnValue: code, jobID: nil)
            case .accepted(let transitional, let target):
                var job = JobRecord(id: UUID().uuidString.uppercased(), vmGUID: vm.guid, kind: kind, targetState: target,
                                    submitted: .now, submittedDate: Date(), duration: duration)
                job.fails = failJobs
                job.previousState = vm.enabledState
                vm.enabledState = transitional
                vm.lastStateChange = Date()
                if case .requestStateChange(let requested) = kind { vm.requestedState = requested } else { vm.requestedState = 3 }
                vm.pendingJob = job.id
                if vm.processID == nil {
                    vm.processID = state.nextProcessID
                    state.nextProcessID += 4
                }
                state.vms[index] = vm
                state.jobs[job.id] = job
                state.jobOrder.append(job.id)
                return InvocationResult(returnValue: 4096, jobID: job.id)
            }
        }
    }

    /// Runs `body` on the state after completing due jobs and dropping expired ones.
    func withAdvancedState<Result>(_ body: (inout State) -> Result) -> Result {
        let now = ContinuousClock.now
        let retention = jobRetention
        return state.withLock { state in
            for id in state.jobOrder {
                guard var job = state.jobs[id], job.completedAt == nil, !job.awaitsOutcome, job.submitted + job.duration <= now else { continue }
                job.completedAt = job.submitted + job.duration
                state.jobs[id] = job
                guard job.changesState, let index = state.indexByGUID[job.vmGUID] else { continue }
                var vm = state.vms[index]
                vm.enabledState = job.fails ? job.previousState : job.targetState
                vm.requestedState = 12
                vm.pendingJob = nil
                vm.lastStateChange = Date()
                vm.reached(vm.enabledState, at: job.submitted + job.duration)
                state.vms[index] = vm
            }
            while let first = state.jobOrder.first, let job = state.jobs[first], let done = job.completedAt, done + retention < now {
                state.jobs[first] = nil
                state.jobOrder.removeFirst()
            }
            return body(&state)
        }
    }
}
