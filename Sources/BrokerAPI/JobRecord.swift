import BrokerCore

/// One change to one VM as the daemon follows it, to its end and past the caller's wait:
/// what `domain.*` returns, what `jobs.list` and `job.get` show and `event.job` reports.
public struct JobRecord: Sendable, Equatable, Codable {
    /// Where a job stands.
    public enum State: String, Sendable, Codable {
        /// Sent, and the backend is still at it.
        case running
        /// Done as asked.
        case completed
        /// The backend refused it or it failed.
        case failed
        /// Cancelled before it was done.
        case cancelled
        /// Sent, and nothing says whether it happened (the backend stopped answering, the
        /// daemon restarted, or the job outlived `job_timeout_ms`): the next listing shows.
        case unknown

        /// Whether the job has ended.
        public var isFinal: Bool { self != .running }
    }

    /// The daemon's id for the job (`job.get`, `job.cancel`).
    public var id: String
    /// The VM's federated name.
    public var domain: String
    /// The VM's UUID on its route (what the change was sent for); nil until it was sent.
    public var uuid: String?
    /// The backend the change went through; nil until it was sent.
    public var route: String?
    /// The change.
    public var action: DomainOperation
    /// Where it stands.
    public var state: State
    /// Percent complete, 0–100.
    public var percent: Int
    /// The backend's words on it (its step, or the failure), when it has any.
    public var message: String?
    /// When it was asked for (RFC 3339, UTC).
    public var started: String
    /// When it ended; nil while running.
    public var finished: String?
    /// The backend's own job (a Hyper-V `Msvm_ConcreteJob` InstanceID, an SCVMM job ID); nil
    /// for a backend that acts at once.
    public var backendJobID: String?
    /// The state the VM reached, when known.
    public var resultingState: DomainState?
    /// The stable error code of a failed or unknown job.
    public var code: String?

    /// Creates a job record.
    public init(id: String, domain: String, uuid: String? = nil, route: String?, action: DomainOperation, state: State, percent: Int, message: String?,
                started: String, finished: String?, backendJobID: String?, resultingState: DomainState?, code: String?) {
        self.id = id
        self.domain = domain
        self.uuid = uuid
        self.route = route
        self.action = action
        self.state = state
        self.percent = percent
        self.message = message
        self.started = started
        self.finished = finished
        self.backendJobID = backendJobID
        self.resultingState = resultingState
        self.code = code
    }

    enum CodingKeys: String, CodingKey {
        case id, domain, uuid, route, action, state, percent, message, started, finished, code
        case backendJobID = "backend_job_id"
        case resultingState = "resulting_state"
    }

    /// Every key, `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(domain, forKey: .domain)
        try container.encode(uuid, forKey: .uuid)
        try container.encode(route, forKey: .route)
        try container.encode(action, forKey: .action)
        try container.encode(state, forKey: .state)
        try container.encode(percent, forKey: .percent)
        try container.encode(message, forKey: .message)
        try container.encode(started, forKey: .started)
        try container.encode(finished, forKey: .finished)
        try container.encode(backendJobID, forKey: .backendJobID)
        try container.encode(resultingState, forKey: .resultingState)
        try container.encode(code, forKey: .code)
    }
}
