/// Every change the federation sends to a backend, by name: the lifecycle actions and the
/// verbs beyond them. Its raw values are the verbs of the CLI and what a job's `action` says.
public enum DomainOperation: String, Sendable, Codable, CaseIterable {
    case start, shutdown, destroy, reboot, reset, suspend, resume, save
    /// Create a VM from a definition.
    case define
    /// Remove a VM's definition.
    case undefine
    /// Take a snapshot (Hyper-V and SCVMM: a checkpoint).
    case snapshotCreate = "snapshot-create"
    /// Return the VM to a snapshot.
    case snapshotRevert = "snapshot-revert"
    /// Remove a snapshot (or it and its descendants).
    case snapshotDelete = "snapshot-delete"
    /// Move the VM to another host.
    case migrate
    /// Start the VM with its host, or not.
    case setAutostart = "set-autostart"

    /// The operation that runs a lifecycle action.
    public init(_ action: DomainAction) {
        self = DomainOperation(rawValue: action.rawValue)!
    }

    /// The lifecycle action it is, if it is one.
    public var action: DomainAction? { DomainAction(rawValue: rawValue) }
}
