/// A device made for a VM that does not exist yet: `New-SCVirtualDiskDrive` and
/// `New-SCVirtualNetworkAdapter` with `-JobGroup G` record it, `New-SCVirtualMachine -JobGroup G`
/// gives the new VM every device of its group, as VMM does.
public enum SCVMMNewDevice: Sendable, Equatable {
    /// A disk drive with an existing VHD(X) on the host (`-UseLocalVirtualHardDisk -Path -FileName`).
    case disk(bus: Bus, busIndex: Int, lun: Int, path: String)
    /// A synthetic adapter on a virtual network (nil: not connected), with a static MAC or not.
    case adapter(network: String?, mac: String?)

    /// `-IDE` or `-SCSI`.
    public enum Bus: String, Sendable, Equatable {
        case ide = "IDE", scsi = "SCSI"
    }

    /// The slot a disk takes, to refuse two in one.
    var slot: String? {
        guard case .disk(let bus, let index, let lun, _) = self else { return nil }
        return "\(bus.rawValue) \(index):\(lun)"
    }
}
