import Foundation

/// A VM as one simulated host hands it to another in a migration: its configuration, state
/// and checkpoints (its GUID stays the same), as JSON on the peer's private path.
struct VMTransfer: Sendable, Codable {
    /// The VM's configuration (name, GUIDs, processors, memory, notes, generation, disks, adapters).
    var spec: VMSpec
    /// Its `EnabledState` (a running VM keeps running: a live migration).
    var enabledState: Int
    /// Its checkpoints and the current one.
    var snapshots: [SnapshotRecord]
    var currentSnapshot: String?
    /// `AutomaticStartupAction`.
    var automaticStartupAction: Int
    /// `CreationTime` of its settings.
    var created: Date?
}
