import BrokerCore
import Libvirt
import XML

/// Define, undefine, snapshots and migration: libvirt's own calls, each synchronous (the
/// change is done when the call returns), the definition and snapshot XML passed as given.
extension LibvirtSession {
    func apply(_ change: DomainChange, on ref: DomainRef) async throws(BackendError) -> JobStatus {
        switch change {
        case .lifecycle(let action):
            return try await perform(action, on: ref)
        case .undefine(let options):
            var wanted: LibvirtUndefineFlags = []
            if options.managedSave { wanted.insert(.managedSave) }
            if options.snapshotsMetadata { wanted.insert(.snapshotsMetadata) }
            let flags = wanted
            try await call { (session) throws(LibvirtError) in try session.lookup(ref).undefine(flags: flags) }
            return .completed()
        case .setAutostart(let enabled):
            try await call { (session) throws(LibvirtError) in try session.lookup(ref).setAutostart(enabled) }
            return .completed()
        case .createSnapshot(let request):
            let xml = Self.snapshotRequestXML(request)
            let name = try await call { (session) throws(LibvirtError) in try session.lookup(ref).createSnapshot(xml: xml).name }
            return JobStatus(phase: .completed, message: "snapshot \(name)")
        case .revertSnapshot(let name):
            return try await call { (session) throws(LibvirtError) in
                let domain = try session.lookup(ref)
                try domain.snapshot(named: name).revert()
                let (state, reason) = try domain.state()
                return .completed(LibvirtStateMapping.state(state, reason: reason))
            }
        case .deleteSnapshot(let name, let children):
            try await call { (session) throws(LibvirtError) in try session.lookup(ref).snapshot(named: name).delete(children: children) }
            return .completed()
        case .migrate(let target):
            guard target.uri.driver == uri.driver else {
                throw BackendError(.unsupported, "libvirt migrates between hosts of one hypervisor: \(uri.driver) cannot move to \(target.uri.driver)")
            }
            let destination = target.uri.canonical
            try await call { (session) throws(LibvirtError) in try session.lookup(ref).migrate(to: destination, live: target.live) }
            return JobStatus(phase: .completed, message: "moved to \(target.backend)")
        }
    }

    func define(_ definition: DomainDefinition, on host: String?) async throws(BackendError) -> JobStatus {
        if let template = definition.template {
            throw BackendError(.unsupported, "libvirt has no VM templates ('\(template)'): define from the domain XML itself")
        }
        if let host, host != self.host.name {
            throw BackendError(.invalidArgument, "this libvirt backend has one host, \(self.host.name), not \(host)")
        }
        let xml = definition.xml
        let uuid = try await call { (session) throws(LibvirtError) in try session.connection.define(xml: xml).uuid }
        return JobStatus(phase: .completed, resultingState: .shutoff, domainUUID: uuid)
    }

    func snapshots(of ref: DomainRef) async throws(BackendError) -> [DomainSnapshot] {
        try await call { (session) throws(LibvirtError) in
            try session.lookup(ref).snapshots().map { snapshot throws(LibvirtError) in
                try Self.snapshot(snapshot.xml(), name: snapshot.name, current: snapshot.isCurrent())
            }
        }
    }

    func snapshotXML(_ name: String, of ref: DomainRef) async throws(BackendError) -> String {
        try await call { (session) throws(LibvirtError) in try session.lookup(ref).snapshot(named: name).xml() }
    }

    /// A `<domainsnapshot>` asking for `request`'s name and description.
    static func snapshotRequestXML(_ request: SnapshotRequest) -> String {
        var xml = "<domainsnapshot>"
        if let name = request.name { xml += "<name>\(name.xmlEscaped)</name>" }
        if let description = request.description { xml += "<description>\(description.xmlEscaped)</description>" }
        return xml + "</domainsnapshot>"
    }

    /// A snapshot's record from libvirt's snapshot XML.
    static func snapshot(_ xml: String, name: String, current: Bool) -> DomainSnapshot {
        let root = try? XMLParser.parse(Array(xml.utf8))
        let state = root?.child("state")?.text
        return DomainSnapshot(
            name: name, description: root?.child("description")?.text, parent: root?.path("parent", "name")?.text,
            creationTime: root?.child("creationTime").flatMap { Int64($0.text) },
            state: state.map(Self.snapshotState), isCurrent: current)
    }

    /// libvirt's snapshot state words as domain states.
    static func snapshotState(_ word: String) -> DomainState {
        switch word {
        case "running", "disk-snapshot": .running
        case "blocked": .blocked
        case "paused": .paused
        case "shutdown": .shuttingDown
        case "shutoff": .shutoff
        case "crashed": .crashed
        case "pmsuspended": .pmsuspended
        default: .unknown
        }
    }
}
