/// The outcome of a lifecycle action. Backends that run actions as jobs (Hyper-V, SCVMM)
/// report the job; synchronous backends (libvirt) report `completed` at once.
public struct JobStatus: Sendable, Equatable, Codable {
    /// Where a job stands.
    public enum Phase: String, Sendable, Codable {
        case running, completed, failed, cancelled
    }

    /// The job's phase.
    public var phase: Phase
    /// Percent complete, 0–100.
    public var percentComplete: Int
    /// The backend's job id, if it has one.
    public var jobID: String?
    /// The state the VM reached, when known.
    public var resultingState: DomainState?
    /// What the backend says of it (its step, or why it failed), when it says anything.
    public var message: String?
    /// The VM it made, for a define: its UUID on the backend, lowercase.
    public var domainUUID: String?

    /// Creates a job status.
    public init(phase: Phase, percentComplete: Int = 100, jobID: String? = nil, resultingState: DomainState? = nil, message: String? = nil,
                domainUUID: String? = nil) {
        self.phase = phase
        self.percentComplete = percentComplete
        self.jobID = jobID
        self.resultingState = resultingState
        self.message = message
        self.domainUUID = domainUUID?.lowercased()
    }

    /// A synchronous action that finished.
    public static func completed(_ state: DomainState? = nil) -> JobStatus {
        JobStatus(phase: .completed, resultingState: state)
    }

    enum CodingKeys: String, CodingKey {
        case phase
        case percentComplete = "percent_complete"
        case jobID = "job_id"
        case resultingState = "resulting_state"
        case message
        case domainUUID = "domain_uuid"
    }

    /// Every key, `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(phase, forKey: .phase)
        try container.encode(percentComplete, forKey: .percentComplete)
        try container.encode(jobID, forKey: .jobID)
        try container.encode(resultingState, forKey: .resultingState)
        try container.encode(message, forKey: .message)
        try container.encode(domainUUID, forKey: .domainUUID)
    }
}
