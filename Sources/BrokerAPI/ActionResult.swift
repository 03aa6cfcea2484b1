import BrokerCore

/// The outcome of a lifecycle action on a federated VM.
public struct ActionResult: Sendable, Equatable, Codable {
    /// The VM's federated name.
    public var domain: String
    /// The action run.
    public var action: DomainAction
    /// The backend the action went through.
    public var route: String
    /// The job's outcome.
    public var job: JobStatus

    /// Creates a result.
    public init(domain: String, action: DomainAction, route: String, job: JobStatus) {
        self.domain = domain
        self.action = action
        self.route = route
        self.job = job
    }
}
