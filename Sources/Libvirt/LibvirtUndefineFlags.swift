import CLibvirt

/// `virDomainUndefineFlagsValues`: what else goes with a definition.
public struct LibvirtUndefineFlags: OptionSet, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Remove the managed-save image too.
    public static let managedSave = LibvirtUndefineFlags(rawValue: UInt32(VIR_DOMAIN_UNDEFINE_MANAGED_SAVE.rawValue))
    /// Remove the snapshots' metadata too.
    public static let snapshotsMetadata = LibvirtUndefineFlags(rawValue: UInt32(VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA.rawValue))
}
