import BrokerCore
import Foundation
import Logging
import Synchronization
import WSMan

/// One SCVMM server as a backend session: every script runs on a pooled WinRM shell; a full
/// listing is one script whatever the number of hosts and VMs; actions are VMM jobs followed
/// with `Get-SCJob` until they end.
final class SCVMMSession: BackendSession {
    private let pool: WinRMShellPool
    private let logger: Logger
    /// How often a running job is polled.
    private let jobPollInterval: Duration
    /// VMM's rates integrated into totals, across listings.
    private let rates = RateIntegrator()
    /// VMM object IDs by the federation's uuid, from the latest inventory.
    private let objectIDs = Mutex<[String: String]>([:])
    private let alive = Atomic<Bool>(true)

    init(pool: WinRMShellPool, logger: Logger, jobPollInterval: Duration = .milliseconds(100)) {
        self.pool = pool
        self.logger = logger
        self.jobPollInterval = jobPollInterval
    }

    var isAlive: Bool { alive.load(ordering: .relaxed) }

    /// The shell pool's counters (for tests).
    var shellStatistics: WinRMShellPool.Statistics {
        get async { await pool.statistics }
    }

    func hosts() async throws(BackendError) -> [BrokerCore.Host] {
        try await inventory(.states).hosts.map(\.host)
    }

    /// Every VM, in one script whatever `detail` asks: the full record adds CPU time and the
    /// load adds the devices and their counters. VMM gives rates; they are integrated here into
    /// totals across listings (a VM that stops starts again from 0).
    func domains(detail: ListingDetail) async throws(BackendError) -> [Domain] {
        let vms = try await inventory(detail).vms
        let now = ContinuousClock.now
        let domains = vms.map { vm in
            var domain = vm.domain
            if let load = vm.load {
                let (stats, cpuTime) = load.stats(of: domain, integrator: rates, now: now)
                domain.cpuTimeNs = cpuTime
                if detail == .load { domain.stats = stats }
            }
            return domain
        }
        rates.retain(only: Set(domains.filter(\.state.isActive).map(\.uuid)))
        return domains
    }

    func nodeInfo(host: String?) async throws(BackendError) -> NodeInfo {
        let hosts = try await inventory(.states).hosts
        if let host {
            let wanted = host.lowercased()
            guard let found = hosts.first(where: { $0.name.lowercased() == wanted || $0.name.lowercased().hasPrefix(wanted + ".") }) else {
                throw BackendError(.notFound, "SCVMM manages no host named '\(host)'")
            }
            return found.nodeInfo
        }
        guard let first = hosts.first else { throw BackendError(.notFound, "SCVMM manages no hosts") }
        return first.nodeInfo
    }

    func domain(_ ref: DomainRef) async throws(BackendError) -> Domain {
        let id = try await objectID(ref)
        let answer = try SCVMMInventory(json: try await run(try SCVMMScript.vm(id: id)))
        guard let vm = answer.vms.first else { throw BackendError(.notFound, "domain not found: \(ref)") }
        return vm.domain
    }

    func perform(_ action: DomainAction, on ref: DomainRef) async throws(BackendError) -> JobStatus {
        var status = try await start(action, on: ref)
        if status.phase == .running, let jobID = status.jobID {
            status = try await follow(jobID, action: action)
        }
        if status.resultingState == nil { status.resultingState = try? await state(ref) }
        return status
    }

    /// Starts the VMM job and returns at once with it. `reboot` has no cmdlet: its shutdown
    /// job is followed here, and the start job that follows is the one returned.
    func start(_ action: DomainAction, on ref: DomainRef) async throws(BackendError) -> JobStatus {
        let id = try await objectID(ref)
        if action == .reboot {
            let stopped = try await follow(try await startJob(.shutdown, id: id).id, action: .shutdown)
            guard stopped.phase == .completed else { return stopped }
            return try await startJob(.start, id: id).status
        }
        return try await startJob(action, id: id).status
    }

    /// `Get-SCJob`: running, completed, cancelled (`Canceled`), or thrown as its failure.
    func jobStatus(_ jobID: String) async throws(BackendError) -> JobStatus {
        try Self.status(SCVMMJob(json: try await run(try SCVMMScript.job(id: jobID))))
    }

    /// `Stop-SCJob`; the job's status then says whether it stopped.
    func cancelJob(_ jobID: String) async throws(BackendError) {
        _ = try await run(try SCVMMScript.stopJob(id: jobID))
    }

    func close() async {
        alive.store(false, ordering: .relaxed)
        await pool.close()
    }

    // MARK: - Internals

    /// Runs the inventory script and remembers each VM's object ID.
    func inventory(_ detail: ListingDetail) async throws(BackendError) -> SCVMMInventory {
        let inventory = try SCVMMInventory(json: try await run(SCVMMScript.inventory(detail)))
        let ids = Dictionary(inventory.vms.map { ($0.domain.uuid, $0.id) }, uniquingKeysWith: { first, _ in first })
        objectIDs.withLock { $0 = ids }
        return inventory
    }

    /// The VMM object ID of the VM a reference names: from the latest inventory, or a fresh one.
    func objectID(_ ref: DomainRef) async throws(BackendError) -> String {
        if let id = objectIDs.withLock({ $0[ref.uuid] }) { return id }
        let vms = try await inventory(.states).vms
        guard let match = vms.first(where: { $0.domain.uuid == ref.uuid || $0.id == ref.uuid }) else {
            throw BackendError(.notFound, "domain not found: \(ref)")
        }
        return match.id
    }

    /// Starts one VMM job.
    private func startJob(_ action: DomainAction, id: String) async throws(BackendError) -> (id: String, status: JobStatus) {
        let job = try SCVMMJob(json: try await run(try SCVMMScript.action(action, id: id)))
        logger.debug("job started", metadata: ["job": "\(job.id)", "action": "\(action.rawValue)"])
        return (job.id, try Self.status(job))
    }

    /// Polls a job until it is no longer running (for `perform`, which waits).
    private func follow(_ jobID: String, action: DomainAction) async throws(BackendError) -> JobStatus {
        while true {
            let status = try await jobStatus(jobID)
            guard status.phase == .running else { return status }
            logger.debug("job running", metadata: ["job": "\(jobID)", "action": "\(action.rawValue)", "percent": "\(status.percentComplete)"])
            try? await Task.sleep(for: jobPollInterval)
            if Task.isCancelled { return status }
        }
    }

    /// A VMM job as a job status; a failed one is thrown as its error.
    static func status(_ job: SCVMMJob) throws(BackendError) -> JobStatus {
        if job.isRunning { return JobStatus(phase: .running, percentComplete: job.percent, jobID: job.id, message: job.name) }
        if job.succeeded { return JobStatus(phase: .completed, percentComplete: 100, jobID: job.id, message: job.name) }
        if ["canceled", "cancelled"].contains(job.status.lowercased()) {
            return JobStatus(phase: .cancelled, percentComplete: job.percent, jobID: job.id, message: "\(job.name): cancelled")
        }
        throw SCVMMErrorMapping.jobFailure(status: job.status, errorInfo: job.errorInfo, job: job.id)
    }

    /// The VM's state now, from VMM.
    private func state(_ ref: DomainRef) async throws(BackendError) -> DomainState? {
        let after = try await run(try SCVMMScript.vm(id: try await objectID(ref)))
        return try? SCVMMInventory(json: after).vms.first?.domain.state
    }

    /// Runs a script and returns its stdout; a non-zero exit is the script's error, mapped.
    func run(_ script: String) async throws(BackendError) -> [UInt8] {
        let output: WinRMCommandOutput
        do {
            output = try await pool.run(PowerShellCommand(script))
        } catch {
            if case .unavailable = error { alive.store(false, ordering: .relaxed) }
            throw SCVMMErrorMapping.transport(error)
        }
        guard output.exitCode == 0 else {
            throw SCVMMErrorMapping.scriptFailure(CLIXML.readable(output.stderrText), exitCode: output.exitCode)
        }
        return output.stdout
    }
}
