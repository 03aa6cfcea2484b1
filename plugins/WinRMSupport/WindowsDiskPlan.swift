import BrokerCore

/// Where each `<disk>` of a definition goes on a new Hyper-V or SCVMM VM (the same rules: VMM
/// makes Hyper-V VMs), decided before anything is sent: a generation 2 VM gets one synthetic SCSI controller for all its drives; a generation 1
/// VM puts its drives on its two IDE controllers (two locations each) unless a hard disk asks
/// for `bus='scsi'`, which gets a SCSI controller (a generation 1 VM has no SCSI optical drive).
public struct WindowsDiskPlan: Equatable, Sendable {
    /// A controller a drive is put on.
    public enum Controller: Equatable, Sendable {
        /// The generation 1 VM's IDE controller 0 or 1.
        case ide(Int)
        /// The SCSI controller the plan adds.
        case scsi
    }

    /// One drive.
    public struct Placement: Equatable, Sendable {
        /// The disk.
        public var disk: DefinedDisk
        /// Its controller.
        public var controller: Controller
        /// Its location on the controller (IDE 0 or 1, SCSI 0…63).
        public var location: Int
    }

    /// The drives, in the definition's order.
    public var placements: [Placement]

    /// Whether a SCSI controller must be added first.
    public var needsSCSIController: Bool { placements.contains { $0.controller == .scsi } }

    /// The plan for `disks` on a VM of generation 2 when `uefi`, else 1; `unsupported` (naming
    /// `backend`) when they do not fit.
    public init(disks: [DefinedDisk], uefi: Bool, backend: String) throws(BackendError) {
        var placements: [Placement] = []
        var ide = 0, scsi = 0
        for disk in disks {
            let onSCSI = uefi || disk.bus == "scsi"
            if onSCSI {
                if !uefi && disk.device == .cdrom {
                    throw BackendError(.unsupported, "\(backend): a generation 1 VM's optical drives are on IDE, not <target bus='scsi'>")
                }
                guard scsi < 64 else { throw BackendError(.unsupported, "\(backend): a SCSI controller takes 64 drives") }
                placements.append(Placement(disk: disk, controller: .scsi, location: scsi))
                scsi += 1
            } else {
                guard ide < 4 else {
                    throw BackendError(.unsupported, "\(backend): a generation 1 VM has 4 IDE locations; put more hard disks on <target bus='scsi'>, "
                                       + "or make a generation 2 VM (<os firmware='efi'>)")
                }
                placements.append(Placement(disk: disk, controller: .ide(ide / 2), location: ide % 2))
                ide += 1
            }
        }
        self.placements = placements
    }
}
