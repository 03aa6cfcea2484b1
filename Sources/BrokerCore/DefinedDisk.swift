/// A `<disk>` of a definition: the image a new VM gets attached, as libvirt's domain XML
/// names it. virtfed attaches existing images; it does not create them.
public struct DefinedDisk: Sendable, Equatable {
    /// What the guest sees (`<disk device='…'>`).
    public enum Device: Sendable, Equatable {
        /// A hard disk (`device='disk'`, the default).
        case disk
        /// An optical drive (`device='cdrom'`) with an ISO image or empty.
        case cdrom
        /// Anything else (`floppy`, `lun`), named as written.
        case other(String)

        /// The `device` attribute's text.
        public var name: String {
            switch self {
            case .disk: "disk"
            case .cdrom: "cdrom"
            case .other(let name): name
            }
        }
    }

    /// The kind of drive.
    public var device: Device
    /// The image: `<source file='…'>` (or `dev='…'` of a block disk); nil for an empty drive.
    public var source: String?
    /// The guest's name for it (`<target dev='…'>`).
    public var target: String?
    /// The bus asked for (`<target bus='…'>`: `ide`, `scsi`, `virtio`, `sata` …).
    public var bus: String?

    /// Creates a disk.
    public init(device: Device = .disk, source: String? = nil, target: String? = nil, bus: String? = nil) {
        self.device = device
        self.source = source
        self.target = target
        self.bus = bus
    }

    /// The element as a user would recognise it in a message: `<disk device='cdrom'>` with its source.
    public var described: String {
        "<disk device='\(device.name)'>" + (source.map { " (\($0))" } ?? "")
    }
}
