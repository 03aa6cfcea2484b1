/// A VM to create, read from libvirt's domain XML (the one request format every door takes):
/// the fields every backend can honour, and the rest named so a backend that cannot take an
/// element refuses it by name rather than dropping it.
public struct DomainDefinition: Sendable, Equatable {
    /// The XML as given (libvirt defines from it as is).
    public var xml: String
    /// The VM's name on its backend.
    public var name: String
    /// The UUID asked for, lowercase; Hyper-V and SCVMM choose their own.
    public var uuid: String?
    /// Memory in KiB (`<memory>`, or `<currentMemory>` when smaller).
    public var memoryKiB: UInt64
    /// Virtual CPUs (`<vcpu>`).
    public var vcpus: Int
    /// UEFI firmware (`<os firmware='efi'>` or a `<loader>`): a Hyper-V generation 2 VM.
    public var uefi: Bool
    /// The description (`<description>`).
    public var description: String?
    /// The device elements under `<devices>`, in order (`disk`, `interface`, `graphics` …).
    public var devices: [String]
    /// The `<disk>` elements, in order.
    public var disks: [DefinedDisk]
    /// The `<interface>` elements, in order.
    public var interfaces: [DefinedInterface]
    /// A template to make the VM from (SCVMM's library), instead of the hardware given here:
    /// `<virtfed:template>` in the XML's `<metadata>`, or the call's own. Others refuse it.
    public var template: String?
    /// The backend already has this VM (same name and UUID): the definition replaces its own,
    /// where the backend can (libvirt); others refuse it as `unsupported`.
    public var redefinition = false

    /// Creates a definition.
    public init(xml: String, name: String, uuid: String? = nil, memoryKiB: UInt64, vcpus: Int, uefi: Bool = false,
                description: String? = nil, devices: [String] = [], disks: [DefinedDisk] = [], interfaces: [DefinedInterface] = []) {
        self.xml = xml
        self.name = name
        self.uuid = uuid?.lowercased()
        self.memoryKiB = memoryKiB
        self.vcpus = vcpus
        self.uefi = uefi
        self.description = description
        self.devices = devices
        self.disks = disks
        self.interfaces = interfaces
    }

    /// Memory in MiB, rounded up.
    public var memoryMiB: UInt64 { (memoryKiB + 1023) / 1024 }
}
