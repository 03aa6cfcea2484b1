import BrokerCore

/// The outcome of a lifecycle action on a federated VM: its job, ended, or still running when
/// the caller's wait ran out (then follow it with `job.get` or `event.job`).
public struct ActionResult: Sendable, Equatable, Codable {
    /// The VM's federated name.
    public var domain: String
    /// The action run.
    public var action: DomainAction
    /// The backend the action went through.
    public var route: String
    /// The job.
    public var job: JobRecord

    /// Creates a result.
    public init(domain: String, action: DomainAction, route: String, job: JobRecord) {
        self.domain = domain
        self.action = action
        self.route = route
        self.job = job
    }
}
