/// One virtual disk of a VM: what it is (for the domain XML) and, where measured, its I/O
/// since the VM started.
public struct DomainDisk: Sendable, Equatable, Codable {
    /// The guest's name for it (libvirt `target dev`: `vda`, `sda`, `hda`); empty where the
    /// backend reports the VM's disk I/O as one total (SCVMM).
    public var target: String
    /// The image or device behind it (a file path, a VHD on a Windows host).
    public var source: String?
    /// The bus (`virtio`, `scsi`, `ide`, `sata`).
    public var bus: String?
    /// Bytes read.
    public var readBytes: UInt64?
    /// Read requests.
    public var readRequests: UInt64?
    /// Bytes written.
    public var writeBytes: UInt64?
    /// Write requests.
    public var writeRequests: UInt64?
    /// The size the guest sees, in bytes.
    public var capacityBytes: UInt64?
    /// Bytes the image takes on the host.
    public var allocationBytes: UInt64?

    enum CodingKeys: String, CodingKey {
        case target, source, bus
        case readBytes = "read_bytes"
        case readRequests = "read_requests"
        case writeBytes = "write_bytes"
        case writeRequests = "write_requests"
        case capacityBytes = "capacity_bytes"
        case allocationBytes = "allocation_bytes"
    }

    /// Creates a record.
    public init(
        target: String, source: String? = nil, bus: String? = nil, readBytes: UInt64? = nil, readRequests: UInt64? = nil,
        writeBytes: UInt64? = nil, writeRequests: UInt64? = nil, capacityBytes: UInt64? = nil, allocationBytes: UInt64? = nil
    ) {
        self.target = target
        self.source = source
        self.bus = bus
        self.readBytes = readBytes
        self.readRequests = readRequests
        self.writeBytes = writeBytes
        self.writeRequests = writeRequests
        self.capacityBytes = capacityBytes
        self.allocationBytes = allocationBytes
    }
}
