import BrokerCore
import Foundation

/// One backend's last known inventory, as the cache holds it: what metrics and cached
/// listings are made from, without touching the backend.
public struct BackendInventory: Sendable {
    /// The configured backend name.
    public var backend: String
    /// The plugin serving it (`libvirt`, `hyperv`, `scvmm`).
    public var plugin: String
    /// Whether its session is connected now.
    public var up: Bool
    /// Its VMs, last known (empty when never read).
    public var domains: [Domain]
    /// When `domains` was read from the backend.
    public var refreshedAt: Date?
    /// How long that read took, in seconds.
    public var lastRefreshSeconds: Double?
    /// The latest refresh failed or the backend is down: `domains` are last known, not current.
    public var stale: Bool
    /// Failed refreshes since the daemon started.
    public var refreshErrors: Int
    /// Sessions re-opened after the first.
    public var reconnects: Int
    /// Calls abandoned at their deadline (the session was kept: slow is not dead).
    public var timeouts: Int
    /// How long the latest periodic refresh waited for one of the daemon's refresh places:
    /// how far the backend's interval stretches under load.
    public var refreshLagSeconds: Double

    /// Creates an inventory entry.
    public init(backend: String, plugin: String, up: Bool, domains: [Domain], refreshedAt: Date?, lastRefreshSeconds: Double?,
                stale: Bool, refreshErrors: Int, reconnects: Int, timeouts: Int = 0, refreshLagSeconds: Double = 0) {
        self.timeouts = timeouts
        self.refreshLagSeconds = refreshLagSeconds
        self.backend = backend
        self.plugin = plugin
        self.up = up
        self.domains = domains
        self.refreshedAt = refreshedAt
        self.lastRefreshSeconds = lastRefreshSeconds
        self.stale = stale
        self.refreshErrors = refreshErrors
        self.reconnects = reconnects
    }
}
