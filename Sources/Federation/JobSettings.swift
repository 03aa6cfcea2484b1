/// How the service follows jobs: how often it asks a backend about its job, how long it
/// follows one before calling its outcome unknown (`[broker] job_timeout_ms`, default 1 h),
/// and how many ended jobs it keeps (`[broker] job_retention`).
public struct JobSettings: Sendable {
    /// Between two questions to a backend about its job.
    public var pollInterval: Duration
    /// How long a job is followed.
    public var timeout: Duration
    /// Ended jobs kept for `jobs.list --all` and `job.get`.
    public var retention: Int

    /// Creates settings; the defaults are the daemon's.
    public init(pollInterval: Duration = .milliseconds(500), timeout: Duration = .seconds(3600), retention: Int = 1000) {
        self.pollInterval = pollInterval
        self.timeout = timeout
        self.retention = retention
    }
}
