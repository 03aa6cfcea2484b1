import BrokerCore

extension DomainDefinition {
    /// The device elements virtfed cannot give a new Hyper-V or SCVMM VM yet.
    static let refusedOnWindows: Set<String> = ["disk", "interface"]

    /// Refuses, before anything is sent, what `backend` (`Hyper-V`, `SCVMM`) cannot take: a
    /// redefinition of an existing VM, a template where it has none, `<disk>` and `<interface>`
    /// (not attached at define yet), no vCPU or memory, no name.
    public func checkForWindows(_ backend: String, takesTemplates: Bool) throws(BackendError) {
        guard !redefinition else {
            throw BackendError(.unsupported, "\(backend): virtfed does not change an existing VM's definition; '\(name)' exists already")
        }
        if let template, !takesTemplates {
            throw BackendError(.unsupported, "\(backend) has no VM templates ('\(template)'): templates are SCVMM's; define through the SCVMM backend")
        }
        if let refused = devices.first(where: Self.refusedOnWindows.contains) {
            throw BackendError(.unsupported, "\(backend): virtfed does not attach <\(refused)> at define yet")
        }
        guard vcpus > 0, memoryKiB > 0, !name.isEmpty else {
            throw BackendError(.invalidArgument, "\(backend): a VM needs a name, at least one vCPU and some memory")
        }
    }

    /// What `backend` leaves out of the definition, for the job's message: the UUID (it
    /// assigns its own) and the device elements a Windows VM gets its own way.
    public func notesForWindows(_ backend: String) -> [String] {
        var notes: [String] = []
        if let uuid { notes.append("\(backend) assigns the VM ID: the requested UUID \(uuid) is not used") }
        let ignored = devices.filter { !Self.refusedOnWindows.contains($0) }
        if !ignored.isEmpty { notes.append("not applied: " + ignored.map { "<\($0)>" }.joined(separator: ", ")) }
        return notes
    }
}
