/// How the broker names a VM to the backend that owns it: by its UUID (libvirt UUID, Hyper-V
/// `Msvm_ComputerSystem.Name`, SCVMM `VMId`), the one key every backend shares with the namespace.
public struct DomainRef: Sendable, Hashable, CustomStringConvertible {
    /// The VM's UUID, lowercase.
    public var uuid: String

    /// Names a VM by UUID.
    public init(uuid: String) {
        self.uuid = uuid.lowercased()
    }

    /// Names a VM by UUID.
    public static func uuid(_ uuid: String) -> DomainRef { DomainRef(uuid: uuid) }

    public var description: String { uuid }
}
