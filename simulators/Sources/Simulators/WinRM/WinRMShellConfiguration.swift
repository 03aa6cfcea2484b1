/// Limits and timing of the WinRM shell service.
public struct WinRMShellConfiguration: Sendable, Equatable {
    /// Open shells allowed at once (Windows' MaxShellsPerUser defaults to 30); over it, Create
    /// answers the `w:QuotaLimit` fault.
    public var maxShells: Int
    /// Shells unused this long are closed (Windows' IdleTimeout).
    public var idleTimeout: Duration
    /// Every command completes this long after it was started (its output is held back until
    /// then), so Receive exercises `CommandState/Running` and the `w:TimedOut` fault.
    public var commandDelay: Duration
    /// At most this many output bytes per Receive reply; more leaves the command Running.
    public var receiveChunkBytes: Int
    /// `w:OperationTimeout` when the request has none.
    public var defaultOperationTimeout: Duration

    /// Creates a configuration.
    public init(maxShells: Int = 30, idleTimeout: Duration = .seconds(900), commandDelay: Duration = .zero,
                receiveChunkBytes: Int = 64 * 1024, defaultOperationTimeout: Duration = .seconds(60)) {
        self.maxShells = maxShells
        self.idleTimeout = idleTimeout
        self.commandDelay = commandDelay
        self.receiveChunkBytes = receiveChunkBytes
        self.defaultOperationTimeout = defaultOperationTimeout
    }
}
