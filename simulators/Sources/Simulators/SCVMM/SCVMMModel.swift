import Foundation

/// The simulated VMM server's state: hosts, VMs and jobs. Actions create jobs that finish after
/// `jobDuration`; the VM shows a transitional state meanwhile. Thread-safe.
public final class SCVMMModel: Sendable {
    /// The server's FQDN, `ems` record and hosts (they do not change).
    public let serverName: String
    /// The `ems` record.
    public let ems: [PSProperty]
    /// The hosts.
    public let hosts: [SCVMMHost]
    /// The library's VM templates.
    public let templates: [SCVMMTemplate]
    /// How long each job runs.
    public let jobDuration: Duration
    /// The fraction of jobs that end Failed.
    public let failJobFraction: Double
    /// VM names (lowercased) whose actions are refused with access denied (1603).
    public let deniedVMNames: Set<String>
    /// Finished jobs kept queryable, at most.
    static let maxJobs = 10_000

    struct State {
        var order: [String]
        var vms: [String: SCVMMVirtualMachine]
        var jobs: [String: SCVMMJob] = [:]
        var jobOrder: [String] = []
        var running: Set<String> = []
        var random = SystemRandomNumberGenerator()
        /// Hardware profiles by ID (`New-SCHardwareProfile`).
        var profiles: [String: SCVMMHardwareProfile] = [:]
        /// Devices waiting for the `New-SCVirtualMachine` of their job group, by lowercased group.
        var pendingDevices: [String: [SCVMMNewDevice]] = [:]
    }

    let state: Locked<State>
    private let platforms: [String: VirtualizationPlatform]

    /// Disk images on each host (lowercased host name → lowercased paths) besides the VMs' own:
    /// what `-UseLocalVirtualHardDisk` can attach.
    public let hostFiles: [String: Set<String>]

    /// Creates the model; `hostFiles` lists images on hosts (by host name) a new VM can be given.
    public init(inventory: SCVMMInventory, jobDuration: Duration = .milliseconds(200), failJobFraction: Double = 0, deniedVMNames: [String] = [],
                hostFiles: [String: [String]] = [:]) {
        self.hostFiles = Dictionary(hostFiles.map { ($0.key.lowercased(), Set($0.value.map { $0.lowercased() })) }, uniquingKeysWith: { $0.union($1) })
        serverName = inventory.serverName
        ems = inventory.ems
        hosts = inventory.hosts
        templates = inventory.templates
        self.jobDuration = jobDuration
        self.failJobFraction = failJobFraction
        self.deniedVMNames = Set(deniedVMNames.map { $0.lowercased() })
        var platforms: [String: VirtualizationPlatform] = [:]
        for host in inventory.hosts { platforms[host.name.lowercased()] = host.platform }
        self.platforms = platforms
        // Running and paused VMs started an hour ago.
        let started = ContinuousClock.now - .seconds(3600)
        let vms = inventory.virtualMachines.map { vm in
            var vm = vm
            vm.runningSince = [.running, .paused].contains(vm.state) ? started : nil
            return vm
        }
        state = Locked(State(order: vms.map(\.id), vms: Dictionary(vms.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })))
    }

    /// The platform of the host a VM runs on (`Unknown` for a host not in the inventory).
    public func platform(ofHost name: String) -> VirtualizationPlatform {
        if let platform = platforms[name.lowercased()] { return platform }
        let short = name.lowercased().split(separator: ".").first.map(String.init) ?? ""
        return platforms.first { $0.key.split(separator: ".").first.map(String.init) == short }?.value ?? .unknown
    }

    /// Every VM, in inventory order, as it is now.
    public func virtualMachines() -> [SCVMMVirtualMachine] {
        state.withLock { state in
            settle(&state)
            return state.order.compactMap { state.vms[$0] }
        }
    }

    /// The VM with this ID (any case), as it is now.
    public func virtualMachine(id: String) -> SCVMMVirtualMachine? {
        state.withLock { state in
            settle(&state)
            return state.vms[id.lowercased()]
        }
    }

    /// The job with this ID, as it is now.
    public func job(id: String) -> SCVMMJob? {
        state.withLock { state in
            settle(&state)
            return state.jobs[id.lowercased()]
        }
    }

    /// Every job, oldest first.
    public func jobs() -> [SCVMMJob] {
        state.withLock { state in
            settle(&state)
            return state.jobOrder.compactMap { state.jobs[$0] }
        }
    }

    /// Starts `action` on the VM: a job, the VM in its transitional state. Refused with VMM's
    /// errors: access denied (1603) for a denied VM, wrong state (12700), unknown VM (801).
    public func perform(_ action: SCVMMAction, on vmID: String) throws(PSErrorRecord) -> SCVMMJob {
        let result = state.withLock { state -> Result<SCVMMJob, PSErrorRecord> in
            settle(&state)
            guard var vm = state.vms[vmID.lowercased()] else {
                return .failure(.cmdlet("VMM is unable to find the virtual machine with ID \(vmID). (Error ID: 801)", category: "ObjectNotFound",
                                        errorID: "801"))
            }
            if deniedVMNames.contains(vm.name.lowercased()) {
                return .failure(.cmdlet("You do not have access to the specified object. (Error ID: 1603)", category: "PermissionDenied",
                                        errorID: "1603"))
            }
            guard let transitional = action.transitional(from: vm.state) else {
                return .failure(.cmdlet("VMM cannot complete the requested operation because the virtual machine \(vm.name) is in the \(vm.state.name) state. (Error ID: 12700)",
                                        errorID: "12700"))
            }
            let fails = failJobFraction >= 1 || (failJobFraction > 0 && Double.random(in: 0..<1, using: &state.random) < failJobFraction)
            let job = SCVMMJob(id: UUID().uuidString.lowercased(), action: action, vmID: vm.id, vmName: vm.name, previousState: vm.state,
                               started: .now, startedDate: Date(), duration: jobDuration, fails: fails)
            vm.state = transitional
            state.vms[vm.id] = vm
            state.jobs[job.id] = job
            state.jobOrder.append(job.id)
            state.running.insert(job.id)
            trim(&state)
            return .success(job)
        }
        return try result.get()
    }

    /// `Stop-SCJob`: a running job ends `Canceled` at once, its VM back where it was. An ended
    /// job is left as it is (VMM's cmdlet reports it unchanged). Nil when there is no such job.
    public func cancel(jobID: String) -> SCVMMJob? {
        state.withLock { state in
            settle(&state)
            let id = jobID.lowercased()
            guard var job = state.jobs[id] else { return nil }
            if job.status == .running {
                job.status = .canceled
                job.endedDate = Date()
                state.jobs[id] = job
                state.running.remove(id)
                state.vms[job.vmID]?.state = job.previousState
            }
            return job
        }
    }

    /// Finishes the job at once (a cmdlet run without `-RunAsynchronously` waits for it).
    public func finish(jobID: String) -> SCVMMJob? {
        state.withLock { state in
            complete(jobID, in: &state)
            return state.jobs[jobID]
        }
    }

    func settle(_ state: inout State) {
        guard !state.running.isEmpty else { return }
        let now = ContinuousClock.now
        for id in state.running {
            if let job = state.jobs[id], now - job.started >= job.duration { complete(id, in: &state) }
        }
    }

    private func complete(_ id: String, in state: inout State) {
        guard var job = state.jobs[id], job.status == .running else { return }
        job.status = job.fails || job.failure != nil ? .failed : .completed
        job.endedDate = Date()
        state.jobs[id] = job
        state.running.remove(id)
        if let operation = job.operation {
            finish(operation, of: job, in: &state)
            return
        }
        if var vm = state.vms[job.vmID] {
            vm.state = job.fails ? job.previousState : job.action.target
            // The worker process starts when the VM first runs and ends when it is off or saved.
            if [.running, .paused].contains(vm.state) {
                if vm.runningSince == nil { vm.runningSince = .now }
            } else {
                vm.runningSince = nil
            }
            state.vms[vm.id] = vm
        }
    }

    func trim(_ state: inout State) {
        while state.jobOrder.count > Self.maxJobs, let oldest = state.jobOrder.first(where: { !state.running.contains($0) }) {
            state.jobOrder.removeAll { $0 == oldest }
            state.jobs.removeValue(forKey: oldest)
        }
    }
}
