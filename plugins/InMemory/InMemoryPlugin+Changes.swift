import BrokerCore
import Foundation

/// The in-memory backend's define, undefine, snapshots and migration: libvirt's rules (a
/// name is unique, undefine and migrate need the VM as it is, revert restores the state the
/// snapshot was taken in), so the service's and doors' tests meet a backend that refuses.
extension InMemoryPlugin.Session {
    public func apply(_ change: DomainChange, on ref: DomainRef) async throws(BackendError) -> JobStatus {
        if case .lifecycle(let action) = change { return try await perform(action, on: ref) }
        try await InMemoryPlugin.behave(backend)
        guard isAlive else { throw BackendError(.backendUnavailable, "connection lost") }
        let domain = try await self.domain(ref)
        backend.changes.withLock { $0.append("\(change.operation.rawValue) \(domain.name)") }
        switch change {
        case .lifecycle:
            throw BackendError(.internal, "unreachable")
        case .undefine:
            guard !domain.state.isActive else { throw BackendError(.invalidState, "cannot undefine a running domain") }
            backend.domains.withLock { $0.removeAll { $0.uuid == ref.uuid } }
            backend.snapshots.withLock { $0[ref.uuid] = nil }
        case .setAutostart(let enabled):
            update(ref) { $0.autostart = enabled }
        case .createSnapshot(let request):
            let name = request.name ?? "\(Int(Date().timeIntervalSince1970))"
            try backend.snapshots.withLock { (all) throws(BackendError) in
                var list = all[ref.uuid] ?? []
                guard !list.contains(where: { $0.name == name }) else { throw BackendError(.alreadyExists, "snapshot '\(name)' already exists") }
                let parent = list.first(where: \.isCurrent)?.name
                for index in list.indices { list[index].isCurrent = false }
                list.append(DomainSnapshot(name: name, description: request.description, parent: parent,
                                           creationTime: Int64(Date().timeIntervalSince1970), state: domain.state, isCurrent: true))
                all[ref.uuid] = list
            }
        case .revertSnapshot(let name):
            let state = try backend.snapshots.withLock { (all) throws(BackendError) -> DomainState? in
                guard var list = all[ref.uuid], let target = list.firstIndex(where: { $0.name == name }) else {
                    throw BackendError(.notFound, "no snapshot named '\(name)'")
                }
                for index in list.indices { list[index].isCurrent = index == target }
                all[ref.uuid] = list
                return list[target].state
            }
            update(ref) { $0.state = state ?? .shutoff }
        case .deleteSnapshot(let name, let children):
            try backend.snapshots.withLock { (all) throws(BackendError) in
                guard var list = all[ref.uuid], let target = list.first(where: { $0.name == name }) else {
                    throw BackendError(.notFound, "no snapshot named '\(name)'")
                }
                var gone: Set<String> = [name]
                if children {
                    var grew = true
                    while grew {
                        let before = gone.count
                        for snapshot in list where snapshot.parent.map(gone.contains) == true { gone.insert(snapshot.name) }
                        grew = gone.count != before
                    }
                }
                list.removeAll { gone.contains($0.name) }
                for index in list.indices where list[index].parent == name { list[index].parent = target.parent }
                all[ref.uuid] = list
            }
        case .migrate(let target):
            guard let destination = peers[target.uri.host ?? ""], destination !== backend else {
                throw BackendError(.invalidArgument, "no other in-memory backend \(target.uri.host ?? "?")")
            }
            backend.domains.withLock { $0.removeAll { $0.uuid == ref.uuid } }
            var moved = domain
            moved.host = target.host ?? moved.host
            destination.domains.withLock { $0.append(moved) }
        }
        return .completed()
    }

    public func define(_ definition: DomainDefinition, on host: String?) async throws(BackendError) -> JobStatus {
        try await InMemoryPlugin.behave(backend)
        guard isAlive else { throw BackendError(.backendUnavailable, "connection lost") }
        backend.changes.withLock { $0.append("define \(definition.name)") }
        let uuid = definition.uuid ?? UUID().uuidString.lowercased()
        try backend.domains.withLock { (domains) throws(BackendError) in
            if let index = domains.firstIndex(where: { $0.name == definition.name }) {
                guard definition.redefinition, domains[index].uuid == uuid else {
                    throw BackendError(.alreadyExists, "domain '\(definition.name)' already exists")
                }
                domains[index].vcpus = definition.vcpus
                domains[index].memoryKiB = definition.memoryKiB
                return
            }
            var domain = Domain.vm(definition.name, uuid, .shutoff, host: host ?? "memhost")
            domain.vcpus = definition.vcpus
            domain.memoryKiB = definition.memoryKiB
            domain.maxMemoryKiB = definition.memoryKiB
            domains.append(domain)
        }
        return JobStatus(phase: .completed, resultingState: .shutoff, domainUUID: uuid)
    }

    public func snapshots(of ref: DomainRef) async throws(BackendError) -> [DomainSnapshot] {
        _ = try await domain(ref)
        return backend.snapshots.withLock { $0[ref.uuid] ?? [] }
    }

    private func update(_ ref: DomainRef, _ change: (inout Domain) -> Void) {
        backend.domains.withLock { domains in
            if let index = domains.firstIndex(where: { $0.uuid == ref.uuid }) { change(&domains[index]) }
        }
    }
}
