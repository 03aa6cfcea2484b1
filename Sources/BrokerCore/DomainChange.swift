/// A change to one existing VM, with what it needs: what the service sends, once, through
/// `BackendSession.apply(_:on:)`.
public enum DomainChange: Sendable, Equatable, Codable {
    /// A lifecycle action.
    case lifecycle(DomainAction)
    /// Remove the VM's definition (libvirt: a running VM goes on as a transient one; Hyper-V
    /// and SCVMM refuse a running VM).
    case undefine(UndefineOptions)
    /// Take a snapshot.
    case createSnapshot(SnapshotRequest)
    /// Return the VM to the named snapshot.
    case revertSnapshot(String)
    /// Remove the named snapshot; with `children`, its descendants too.
    case deleteSnapshot(String, children: Bool)
    /// Move the VM.
    case migrate(MigrationTarget)
    /// Start the VM with its host, or not.
    case setAutostart(Bool)

    /// The operation's name.
    public var operation: DomainOperation {
        switch self {
        case .lifecycle(let action): DomainOperation(action)
        case .undefine: .undefine
        case .createSnapshot: .snapshotCreate
        case .revertSnapshot: .snapshotRevert
        case .deleteSnapshot: .snapshotDelete
        case .migrate: .migrate
        case .setAutostart: .setAutostart
        }
    }
}
