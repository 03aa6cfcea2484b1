import BrokerCore

extension DomainDefinition {
    /// The device elements a new Hyper-V or SCVMM VM gets from the definition; the others are
    /// named in the job's message as not applied.
    static let appliedOnWindows: Set<String> = ["disk", "interface"]

    /// Refuses, before anything is sent, what `backend` (`Hyper-V`, `SCVMM`) cannot take: a
    /// redefinition of an existing VM, a template where it has none, a disk that is not an
    /// existing VHD/VHDX (or ISO for a `cdrom`), a floppy or LUN, a MAC that is not six octets,
    /// no vCPU or memory, no name.
    public func checkForWindows(_ backend: String, takesTemplates: Bool) throws(BackendError) {
        guard !redefinition else {
            throw BackendError(.unsupported, "\(backend): virtfed does not change an existing VM's definition; '\(name)' exists already")
        }
        if let template, !takesTemplates {
            throw BackendError(.unsupported, "\(backend) has no VM templates ('\(template)'): templates are SCVMM's; define through the SCVMM backend")
        }
        guard vcpus > 0, memoryKiB > 0, !name.isEmpty else {
            throw BackendError(.invalidArgument, "\(backend): a VM needs a name, at least one vCPU and some memory")
        }
        for disk in disks { try Self.check(disk, on: backend) }
        for interface in interfaces where interface.mac != nil && interface.bareMAC == nil {
            throw BackendError(.invalidArgument, "\(backend): <mac address='\(interface.mac ?? "")'> is not six hex octets")
        }
    }

    /// What `backend` leaves out of the definition, for the job's message: the UUID (it
    /// assigns its own) and the device elements a Windows VM does not take from the XML.
    public func notesForWindows(_ backend: String) -> [String] {
        var notes: [String] = []
        if let uuid { notes.append("\(backend) assigns the VM ID: the requested UUID \(uuid) is not used") }
        let ignored = devices.filter { !Self.appliedOnWindows.contains($0) }
        if !ignored.isEmpty { notes.append("not applied: " + ignored.map { "<\($0)>" }.joined(separator: ", ")) }
        return notes
    }

    /// A disk attaches an image that is on the host already: a VHD or VHDX as a hard disk, an
    /// ISO (or nothing) in an optical drive.
    private static func check(_ disk: DefinedDisk, on backend: String) throws(BackendError) {
        switch disk.device {
        case .other(let device):
            throw BackendError(.unsupported, "\(backend): virtfed attaches hard disks and optical drives at define, not <disk device='\(device)'>")
        case .disk:
            guard let source = disk.source else {
                throw BackendError(.unsupported, "\(backend): <disk device='disk'> needs <source file='…'> naming a VHD or VHDX on the host; "
                                   + "virtfed attaches existing disk images and creates none")
            }
            guard hasExtension(source, ["vhd", "vhdx"]) else {
                throw BackendError(.invalidArgument, "\(backend) attaches VHD and VHDX images as hard disks; '\(source)' is neither")
            }
        case .cdrom:
            if let source = disk.source, !hasExtension(source, ["iso"]) {
                throw BackendError(.invalidArgument, "\(backend) puts ISO images in optical drives; '\(source)' is not one")
            }
        }
    }

    private static func hasExtension(_ path: String, _ extensions: Set<String>) -> Bool {
        guard let dot = path.lastIndex(of: ".") else { return false }
        return extensions.contains(path[path.index(after: dot)...].lowercased())
    }
}
