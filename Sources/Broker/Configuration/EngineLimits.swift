import Foundation

/// `[broker]` bounds on the engine's own work, the same whatever the number of backends, so
/// that a thousand of them cannot make the daemon collapse under its own refreshes.
public struct EngineLimits: Sendable, Equatable {
    /// Cache refreshes (re-reads of a backend's inventory) running at once, daemon-wide
    /// (`refresh_concurrency`); more wait, and their backends' intervals stretch.
    public var refreshConcurrency: Int
    /// Session opens running at once, daemon-wide (`connect_concurrency`).
    public var connectConcurrency: Int
    /// Session opens started per second, daemon-wide (`connects_per_second`).
    public var connectsPerSecond: Int

    /// The defaults, sized to this machine's CPUs.
    public init(refreshConcurrency: Int? = nil, connectConcurrency: Int? = nil, connectsPerSecond: Int? = nil) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        self.refreshConcurrency = refreshConcurrency ?? max(8, 4 * cores)
        self.connectConcurrency = connectConcurrency ?? max(8, 4 * cores)
        self.connectsPerSecond = connectsPerSecond ?? 100
    }
}
