/// The jobs `/metrics` reports: running now and ended failed since start, by backend.
public struct JobCounts: Sendable {
    /// Jobs running, by the backend they went through.
    public var running: [String: Int]
    /// Jobs that ended failed since the daemon started, by backend.
    public var failed: [String: Int]

    /// Creates counts.
    public init(running: [String: Int] = [:], failed: [String: Int] = [:]) {
        self.running = running
        self.failed = failed
    }
}
