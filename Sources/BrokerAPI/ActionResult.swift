import BrokerCore

/// The outcome of a change to a federated VM: its job, ended, or still running when
/// the caller's wait ran out (then follow it with `job.get` or `event.job`).
public struct ActionResult: Sendable, Equatable, Codable {
    /// The VM's federated name.
    public var domain: String
    /// The change run.
    public var action: DomainOperation
    /// The backend the change went through.
    public var route: String
    /// The job.
    public var job: JobRecord

    /// Creates a result.
    public init(domain: String, action: DomainOperation, route: String, job: JobRecord) {
        self.domain = domain
        self.action = action
        self.route = route
        self.job = job
    }
}
