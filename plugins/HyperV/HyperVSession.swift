import BrokerCore
import Foundation
import Logging
import Synchronization
import WinRMSupport
import WSMan
import XML

/// One Hyper-V host as a backend session. A full listing is four whole-class enumerations
/// (systems, their settings, processor and memory settings) and `GetSummaryInformation` (CPU
/// time); a load listing adds the two performance classes and the device settings (at most once
/// a minute) — `HyperVStatistics` — whatever the number of VMs.
final class HyperVSession: BackendSession {
    let client: WSManClient
    let hostInfo: HyperVHostInfo
    private let logger: Logger
    /// How often a running job is polled (libvirt polls every 100 ms).
    private let jobPollInterval: Duration
    /// CPU time, integrated from `ProcessorLoad` across listings.
    private let cpuTime = RateIntegrator()
    /// The VMs' devices as last read, for which VMs, and when.
    /// The device settings last read (for the VMs then listed), and how many times they were
    /// made stale by this session's own changes.
    let devices = Mutex<(read: (devices: HyperVStatistics.Devices, vms: Set<String>, at: ContinuousClock.Instant)?, epoch: Int)>((nil, 0))
    /// How long device settings are reused (they change only with a redefinition).
    static let devicesLifetime: Duration = .seconds(60)

    init(client: WSManClient, hostInfo: HyperVHostInfo, logger: Logger, jobPollInterval: Duration = .milliseconds(100)) {
        self.client = client
        self.hostInfo = hostInfo
        self.logger = logger
        self.jobPollInterval = jobPollInterval
    }

    /// WS-Man round trips made so far (for benchmarks and tests).
    var roundTrips: Int { client.roundTrips }

    func hosts() async throws(BackendError) -> [BrokerCore.Host] { [hostInfo.host] }

    func nodeInfo(host _: String?) async throws(BackendError) -> NodeInfo { hostInfo.nodeInfo }

    func domains(detail: ListingDetail) async throws(BackendError) -> [Domain] {
        let systems = try await query(HyperVClasses.computerSystem, where: #"Description = "Microsoft Virtual Machine""#)
        let settings = try await query(HyperVClasses.settingData)
        let processors = try await query(HyperVClasses.processorSettings)
        let memory = try await query(HyperVClasses.memorySettings)
        var domains = HyperVInventory(systems: systems, settings: settings, processors: processors, memory: memory, host: hostInfo.dnsName).domains
        guard detail >= .full else { return domains }
        do {
            // The full record's CPU time comes from the summary; the load adds counters and devices.
            let statistics = try await self.statistics(of: domains, settings: settings, load: detail == .load)
            for index in domains.indices {
                if detail == .load { domains[index].stats = statistics.stats[domains[index].uuid] }
                domains[index].cpuTimeNs = statistics.cpuTimeNs[domains[index].uuid]
            }
        } catch where error.code == .backendUnavailable || error.code == .timeout || error.code == .authFailed {
            throw error
        } catch {
            // A host without the figures (an older Windows, a class it lacks) still lists its VMs.
            logger.debug("no live figures from the host", metadata: ["error": "\(error.message)"])
        }
        return domains
    }

    /// The live figures of the listed VMs (see `HyperVStatistics`): the summary alone, or with
    /// `load` the counter classes and the devices too.
    private func statistics(of domains: [Domain], settings: [[String: String]], load: Bool) async throws(BackendError) -> HyperVStatistics {
        let output: XMLElement
        do {
            output = try await client.invoke(
                classURI: HyperVClasses.virtualization(HyperVClasses.managementService), method: "GetSummaryInformation",
                selectors: [("CreationClassName", HyperVClasses.managementService)],
                parameters: HyperVClasses.summaryInformation.map { ("RequestedInformation", "\($0)") }, readsOnly: true)
        } catch {
            throw error.backendError
        }
        let returnValue = Int(output.child("ReturnValue")?.text ?? "") ?? -1
        guard returnValue == 0 else { throw HyperVErrorMapping.returnValue(returnValue, method: "GetSummaryInformation") }
        let summaries = output.children(named: "SummaryInformation").map(\.wmiProperties)
        guard load else {
            return HyperVStatistics(domains: domains, summaries: summaries, storagePerf: [], adapterPerf: [], devices: HyperVStatistics.Devices(), cpu: cpuTime)
        }
        let storagePerf = try await query(HyperVClasses.storageDevicePerf, in: .cimv2)
        let adapterPerf = try await query(HyperVClasses.networkAdapterPerf, in: .cimv2)
        // Device settings are read again after a minute, or at once when the set of VMs changed.
        let vms = Set(domains.map(\.uuid))
        let current: HyperVStatistics.Devices
        if let known = devices.withLock({ $0.read }), known.vms == vms, ContinuousClock.now - known.at < Self.devicesLifetime {
            current = known.devices
        } else {
            let epoch = devices.withLock { $0.epoch }
            current = HyperVStatistics.Devices(
                storage: try await query(HyperVClasses.storageSettings), ports: try await query(HyperVClasses.syntheticPortSettings),
                connections: try await query(HyperVClasses.portAllocationSettings), settings: settings)
            // Kept unless a change of devices (a define) came while it was read.
            devices.withLock { if $0.epoch == epoch { $0.read = (current, vms, .now) } }
        }
        return HyperVStatistics(domains: domains, summaries: summaries, storagePerf: storagePerf, adapterPerf: adapterPerf,
                                devices: current, cpu: cpuTime)
    }

    func domain(_ ref: DomainRef) async throws(BackendError) -> Domain {
        let system = try await self.system(ref)
        let guid = system["Name"] ?? ""
        let settings = try await query(HyperVClasses.settingData, where: "InstanceID = '\(Self.escaped("Microsoft:" + guid))'")
        let like = Self.escaped("Microsoft:\(guid)") + "%"
        let processors = try await query(HyperVClasses.processorSettings, where: "InstanceID LIKE '\(like)'")
        let memory = try await query(HyperVClasses.memorySettings, where: "InstanceID LIKE '\(like)'")
        guard let domain = HyperVInventory(systems: [system], settings: settings, processors: processors, memory: memory, host: hostInfo.dnsName).domains.first else {
            throw BackendError(.notFound, "domain not found: \(ref)")
        }
        return domain
    }

    func perform(_ action: DomainAction, on ref: DomainRef) async throws(BackendError) -> JobStatus {
        var status = try await start(action, on: ref)
        if status.phase == .running, let jobID = status.jobID {
            status = try await follow(jobID: jobID)
            status.resultingState = try? await domain(ref).state
        }
        return status
    }

    /// Invokes the state change and returns at once: completed (ReturnValue 0) or the
    /// `Msvm_ConcreteJob` it started (4096), which `jobStatus` then reports on.
    func start(_ action: DomainAction, on ref: DomainRef) async throws(BackendError) -> JobStatus {
        let guid = ref.uuid
        let method: String
        let className: String
        let selectors: [(String, String)]
        let parameters: [(String, String)]
        if let requested = HyperVStateMapping.requestedState(for: action) {
            method = "RequestStateChange"
            className = HyperVClasses.computerSystem
            selectors = [("CreationClassName", HyperVClasses.computerSystem), ("Name", guid)]
            parameters = [("RequestedState", "\(requested)")]
        } else {
            method = "InitiateShutdown"
            className = HyperVClasses.shutdownComponent
            let components = try await query(HyperVClasses.shutdownComponent, where: "SystemName = '\(Self.escaped(guid))'")
            guard let deviceID = components.first?["DeviceID"] else {
                throw BackendError(.unsupported, "the VM has no shutdown integration service (Msvm_ShutdownComponent)")
            }
            selectors = [("CreationClassName", HyperVClasses.shutdownComponent), ("DeviceID", deviceID),
                         ("SystemCreationClassName", HyperVClasses.computerSystem), ("SystemName", guid)]
            parameters = [("Force", "False"), ("Reason", "Planned shutdown via virtfed")]
        }
        let output: XMLElement
        do {
            output = try await client.invoke(classURI: HyperVClasses.virtualization(className), method: method,
                                             selectors: selectors, parameters: parameters)
        } catch {
            throw error.backendError
        }
        let returnValue = Int(output.child("ReturnValue")?.text ?? "") ?? -1
        switch returnValue {
        case 0:
            var status = JobStatus.completed()
            status.resultingState = try? await domain(ref).state
            return status
        case 4096:
            guard let jobID = output.selector("InstanceID") else {
                throw BackendError(.internal, "\(method) started a job without naming it")
            }
            return JobStatus(phase: .running, percentComplete: 0, jobID: jobID, message: "\(method) job started")
        default:
            throw HyperVErrorMapping.returnValue(returnValue, method: method)
        }
    }

    /// One look at `Msvm_ConcreteJob`: JobState 7 is success, 8 (Terminated) and 9 (Killed)
    /// a cancel, 2–6 running, anything else a failure carrying `ErrorDescription` (thrown).
    func jobStatus(_ jobID: String) async throws(BackendError) -> JobStatus {
        let jobs = try await query(HyperVClasses.concreteJob, where: "InstanceID = '\(Self.escaped(jobID))'")
        guard let job = jobs.first else { throw BackendError(.notFound, "job \(jobID) is gone from the host") }
        let state = Int(job["JobState"] ?? "") ?? 0
        let percent = Int(job["PercentComplete"] ?? "") ?? 0
        let status = job["JobStatus"].flatMap { $0.isEmpty ? nil : $0 }
        switch state {
        case 7:
            return JobStatus(phase: .completed, percentComplete: 100, jobID: jobID, message: status)
        case 8, 9:
            return JobStatus(phase: .cancelled, percentComplete: percent, jobID: jobID, message: status ?? "cancelled")
        case 2, 3, 4, 5, 6:
            return JobStatus(phase: .running, percentComplete: percent, jobID: jobID, message: status)
        default:
            let reason = job["ErrorDescription"] ?? job["Description"] ?? "job state \(state)"
            let code = Int(job["ErrorCode"] ?? "") ?? 0
            let caption = job["Caption"] ?? job["ElementName"] ?? "the job"
            throw HyperVErrorMapping.jobFailure(code: code, caption: caption, description: reason)
        }
    }

    /// `Msvm_ConcreteJob.RequestStateChange(RequestedState = 4)`: terminate the job. 0 means the
    /// host took the request; the job's state then says whether it stopped.
    func cancelJob(_ jobID: String) async throws(BackendError) {
        let output: XMLElement
        do {
            output = try await client.invoke(classURI: HyperVClasses.virtualization(HyperVClasses.concreteJob), method: "RequestStateChange",
                                             selectors: [("InstanceID", jobID)], parameters: [("RequestedState", "4")])
        } catch {
            throw error.backendError
        }
        let returnValue = Int(output.child("ReturnValue")?.text ?? "") ?? -1
        guard returnValue == 0 || returnValue == 4096 else {
            throw HyperVErrorMapping.returnValue(returnValue, method: "RequestStateChange on job \(jobID)")
        }
    }

    func close() async {}

    // MARK: - Internals

    /// Polls the job until it ends (for `perform`, which waits).
    func follow(jobID: String) async throws(BackendError) -> JobStatus {
        while true {
            let status = try await jobStatus(jobID)
            guard status.phase == .running else { return status }
            try? await Task.sleep(for: jobPollInterval)
            if Task.isCancelled { return status }
        }
    }

    /// The `Msvm_ComputerSystem` whose `Name` is the VM's GUID.
    func system(_ ref: DomainRef) async throws(BackendError) -> [String: String] {
        let condition = "Name = '\(Self.escaped(ref.uuid))'"
        let systems = try await query(HyperVClasses.computerSystem, where: #"Description = "Microsoft Virtual Machine" AND "# + condition)
        guard let system = systems.first else { throw BackendError(.notFound, "domain not found: \(ref)") }
        return system
    }

    /// One whole-class (or filtered) enumeration, as property dictionaries.
    func query(_ className: String, in namespace: HyperVClasses.Namespace = .virtualization, where condition: String? = nil) async throws(BackendError) -> [[String: String]] {
        var wql = "SELECT * FROM \(className) "
        if let condition { wql += "WHERE \(condition)" }
        do {
            // Large batches, as the WinRM gem asks: one round trip per class on most hosts.
            return try await client.enumerate(
                resourceURI: namespace.root, classURI: namespace.classURI(className), wql: wql, maxElements: 32000
            ).map(\.wmiProperties)
        } catch {
            throw error.backendError
        }
    }

    /// A WQL string literal's contents: backslash and quote escaped.
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }
}
