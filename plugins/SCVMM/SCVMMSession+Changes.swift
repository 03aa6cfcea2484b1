import BrokerCore
import Foundation
import WinRMSupport

/// The verbs beyond power buttons as VMM jobs (`SCVMMScript+Changes`): each script starts one
/// job and returns it running; `jobStatus` (Get-SCJob) follows it as it follows power actions.
extension SCVMMSession {
    func apply(_ change: DomainChange, on ref: DomainRef) async throws(BackendError) -> JobStatus {
        switch change {
        case .lifecycle(let action):
            return try await start(action, on: ref)
        case .undefine(let options):
            return try await job(try SCVMMScript.undefine(id: try await objectID(ref), withCheckpoints: options.snapshotsMetadata))
        case .createSnapshot(let request):
            return try await job(try SCVMMScript.newCheckpoint(id: try await objectID(ref), name: request.name, description: request.description))
        case .revertSnapshot(let name):
            let checkpoint = try await checkpoint(named: name, of: ref)
            return try await job(try SCVMMScript.restoreCheckpoint(checkpoint.entry.id))
        case .deleteSnapshot(let name, let children):
            let checkpoint = try await checkpoint(named: name, of: ref)
            let descendants = children ? checkpoint.all.descendants(of: checkpoint.entry.id) : []
            return try await job(try SCVMMScript.removeCheckpoint(checkpoint.entry.id, descendants: descendants))
        case .migrate(let target):
            guard let host = target.host, !host.isEmpty else {
                throw BackendError(.invalidArgument, "SCVMM: a move needs the destination host; this server manages \(try await hostNames())")
            }
            return try await hostJob(host) { () throws(BackendError) in try SCVMMScript.move(id: try await self.objectID(ref), host: host) }
        case .setAutostart(let enabled):
            return try await job(try SCVMMScript.setStartAction(id: try await objectID(ref), autostart: enabled))
        }
    }

    /// `New-SCVirtualMachine` on `host` (required: SCVMM places VMs on one of its hosts), from
    /// the definition's hardware or its template. The status names the new VM by the
    /// identity listings give it (`VMId`, else `BiosGuid`, else VMM's `ID`).
    func define(_ definition: DomainDefinition, on host: String?) async throws(BackendError) -> JobStatus {
        try definition.checkForWindows("SCVMM", takesTemplates: true)
        guard let host, !host.isEmpty else {
            throw BackendError(.invalidArgument, "SCVMM: name the host to create the VM on; this server manages \(try await hostNames())")
        }
        if definition.template != nil, !definition.disks.isEmpty || !definition.interfaces.isEmpty {
            throw BackendError(.unsupported, "SCVMM: a VM made from a template gets the template's disks and adapters; "
                               + "virtfed does not add <disk> or <interface> to it")
        }
        if let cdrom = definition.disks.first(where: { $0.device == .cdrom }) {
            throw BackendError(.unsupported, "SCVMM: virtfed does not attach \(cdrom.described) yet (VMM mounts ISOs from its library)")
        }
        let disks = try WindowsDiskPlan(disks: definition.disks, uefi: definition.uefi, backend: "SCVMM")
        let profile = "virtfed-" + UUID().uuidString.lowercased()
        let group = UUID().uuidString.lowercased()
        let output = try await hostRun(host) { () throws(BackendError) in
            try SCVMMScript.define(definition, host: host, profileName: profile, disks: disks, jobGroup: group)
        }
        var status = try Self.status(SCVMMJob(json: output))
        guard let root = try? JSONSerialization.jsonObject(with: Data(output)) as? [String: Any], let vm = root["vm"] as? [String: Any],
              let id = Self.text(vm["VMId"]) ?? Self.text(vm["BiosGuid"]) ?? Self.text(vm["ID"]) else {
            throw BackendError(.internal, "SCVMM started the VM's creation (job \(status.jobID ?? "?")) without naming the VM")
        }
        status.domainUUID = id.lowercased()
        let made = "VM \(id.lowercased()) defined on \(host)" + (definition.template.map { " from template \($0) (its hardware, not the XML's)" } ?? "")
        status.message = ([made] + definition.notesForWindows("SCVMM")).joined(separator: "; ")
        return status
    }

    /// The VM's checkpoints (`Get-SCVMCheckpoint`), parents before children.
    func snapshots(of ref: DomainRef) async throws(BackendError) -> [DomainSnapshot] {
        try await checkpoints(of: ref).snapshots
    }

    // MARK: - Internals

    private func checkpoints(of ref: DomainRef) async throws(BackendError) -> SCVMMCheckpoints {
        try SCVMMCheckpoints(json: try await run(try SCVMMScript.checkpoints(id: try await objectID(ref))))
    }

    private func checkpoint(named name: String, of ref: DomainRef) async throws(BackendError) -> (entry: SCVMMCheckpoints.Entry, all: SCVMMCheckpoints) {
        let all = try await checkpoints(of: ref)
        guard let entry = all.newest(named: name) else { throw BackendError(.notFound, "snapshot not found: \(name)") }
        return (entry, all)
    }

    /// Runs a script that starts one job and reports it.
    private func job(_ script: String) async throws(BackendError) -> JobStatus {
        try Self.status(SCVMMJob(json: try await run(script)))
    }

    private func hostJob(_ host: String, _ script: () async throws(BackendError) -> String) async throws(BackendError) -> JobStatus {
        try Self.status(SCVMMJob(json: try await hostRun(host, script)))
    }

    /// Runs a script that looks a host up; a host this server does not manage is an
    /// invalid argument naming the ones it does.
    private func hostRun(_ host: String, _ script: () async throws(BackendError) -> String) async throws(BackendError) -> [UInt8] {
        do {
            return try await run(try await script())
        } catch where error.message.contains(SCVMMScript.hostNotFoundMarker) {
            throw BackendError(.invalidArgument, "SCVMM manages no host named '\(host)'; its hosts: \(try await hostNames())")
        }
    }

    private func hostNames() async throws(BackendError) -> String {
        let names = try await hosts().map(\.name)
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }

    private static func text(_ value: Any?) -> String? {
        guard let text = value as? String, !text.isEmpty, text != "00000000-0000-0000-0000-000000000000" else { return nil }
        return text
    }
}
