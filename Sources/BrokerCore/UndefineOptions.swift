/// What else goes with a VM's definition when it is removed (virsh `undefine`'s flags).
public struct UndefineOptions: Sendable, Equatable, Codable {
    /// Remove the VM's snapshot metadata too (libvirt refuses a VM with snapshots without it).
    public var snapshotsMetadata: Bool
    /// Remove its managed-save image too.
    public var managedSave: Bool

    /// Creates options.
    public init(snapshotsMetadata: Bool = false, managedSave: Bool = false) {
        self.snapshotsMetadata = snapshotsMetadata
        self.managedSave = managedSave
    }
}
