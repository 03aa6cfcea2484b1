import Broker
import BrokerAPI
import BrokerCore

/// The verbs beyond power buttons — define, undefine, snapshots, migration — written once
/// here for every door: each change is a job like a lifecycle action (`perform`), sent at
/// most once and audited; reads go through the VM's routes like `xml`.
extension FederationService {
    // MARK: - Define

    /// Creates a VM on `backend` (on `host`, for a backend with several) from libvirt's
    /// domain XML, as a job whose `uuid` names the new VM. With no backend given, the XML's
    /// `<name>` says where, in the federation's own form: `backend/name` or
    /// `backend/host/name` (how virsh and virt-manager define through the facade). A name
    /// already on that backend is `already_exists` — unless the XML carries that VM's own
    /// UUID, which redefines it where the backend can (libvirt). Sent once, to that backend
    /// only: no other route exists.
    public func define(
        xml: String, backend: String?, host: String?, template: String? = nil, caller: Caller, operation: String? = nil, wait: Duration? = nil
    ) async throws(BackendError) -> ActionResult {
        let method = RPCMethod.define.rawValue
        let label = backend.map { "\($0)/\(host.map { "\($0)/" } ?? "")…" } ?? "…"
        if caller.readOnly {
            let refusal = BackendError(.permissionDenied, caller.refusal(operation ?? method))
            await record(method, domain: label, route: nil, failure: refusal, caller: caller)
            throw refusal
        }
        let outcome: Result<ActionResult, BackendError>
        do throws(BackendError) {
            var definition = try DomainDefinitionReader.read(xml)
            if let template { definition.template = template }
            var (backend, host) = (backend, host)
            if backend == nil {
                let placed = try DomainDefinitionReader.placement(of: definition)
                (definition, backend) = (placed.definition, placed.backend)
                host = placed.host ?? host
            }
            guard let backend else { throw BackendError(.internal, "no backend") }
            if let cluster, caller.forwardedFrom == nil, let holder = cluster.holder(of: backend) {
                // Another node holds the backend: it defines the VM, audited there.
                let request = ForwardedRequest(work: .define(xml: definition.xml, backend: backend, host: host, template: definition.template),
                                               operation: operation, wait: wait, caller: caller)
                return try await cluster.forward(request, to: holder, backend: backend)
            }
            let name = "\(backend)/\(definition.name)"
            guard await broker.uri(of: backend) != nil else {
                throw BackendError(.notFound, "no backend named '\(backend)'; backends: \(await broker.backends().map(\.name).joined(separator: ", "))")
            }
            let existing = try await once(backend, change: nil) { session throws(BackendError) in try await session.domains(detail: .states) }
            if let taken = existing.first(where: { $0.name == definition.name }) {
                guard taken.uuid == definition.uuid else {
                    throw BackendError(.alreadyExists, "\(backend) already has a VM named '\(definition.name)' (uuid \(taken.uuid))", backend: backend)
                }
                definition.redefinition = true
            } else if let uuid = definition.uuid, let other = await broker.sources(maxAge: .seconds(86_400), lastKnown: true).namespace.entries
                .first(where: { $0.record.uuid == uuid }) {
                throw BackendError(.alreadyExists, "uuid \(uuid) is already the VM \(other.record.name)")
            }
            try await recordIntent(method, domain: name, caller: caller)
            let job = await jobs.open(domain: name, action: .define)
            let (request, placedHost) = (definition, host)
            let route = try await launch(job: job.id, lock: "define:\(name)", name: name) { () async throws(BackendError) in
                let status = try await self.once(backend, change: "\(method) of \(name)") { session throws(BackendError) in
                    try await session.define(request, on: placedHost)
                }
                self.logger.info("action", metadata: ["action": "define", "domain": "\(name)", "route": "\(backend)", "job": "\(job.id)"])
                return (backend, status.domainUUID ?? request.uuid, status, [backend])
            }
            outcome = .success(try await ended(job, domain: name, route: route, wait: wait))
        } catch {
            outcome = .failure(error)
        }
        return try await audited(method, domain: label, caller: caller, outcome)
    }

    // MARK: - Snapshots

    /// The VM's snapshots, from the backend that answers first among its routes.
    public func snapshots(of argument: String) async throws(BackendError) -> SnapshotList {
        let entry = try await resolve(argument, live: false)
        let (route, snapshots) = try await throughRoutes(entry) { session, domain throws(BackendError) in
            try await session.snapshots(of: .uuid(domain.uuid))
        }
        return SnapshotList(domain: entry.record.name, route: route, snapshots: snapshots)
    }

    /// One snapshot in libvirt's snapshot XML: the backend's own, or written from its record.
    public func snapshotXML(_ name: String, of argument: String) async throws(BackendError) -> String {
        let entry = try await resolve(argument, live: false)
        do {
            return try await throughRoutes(entry) { session, domain throws(BackendError) in
                try await session.snapshotXML(name, of: .uuid(domain.uuid))
            }.value
        } catch where error.code == .unsupported {
            let list = try await snapshots(of: argument)
            guard let snapshot = list.snapshots.last(where: { $0.name == name }) else {
                throw BackendError(.notFound, "\(entry.record.name) has no snapshot named '\(name)'")
            }
            return SnapshotXML.xml(snapshot, domain: entry.record.localName, uuid: entry.record.uuid)
        }
    }

    /// Takes a snapshot described by libvirt's `<domainsnapshot>` XML (what virsh and
    /// virt-manager send), as `perform(.createSnapshot(…))` does.
    public func createSnapshot(
        xml: String, on argument: String, caller: Caller, operation: String? = nil, wait: Duration? = nil
    ) async throws(BackendError) -> ActionResult {
        let request: SnapshotRequest
        do throws(BackendError) {
            request = try SnapshotXML.request(xml)
        } catch {
            await record(RPCMethod.snapshotCreate.rawValue, domain: argument, route: nil, failure: error, caller: caller)
            throw error
        }
        return try await perform(.createSnapshot(request), on: argument, caller: caller, operation: operation, wait: wait)
    }

    // MARK: - Migration

    /// Moves a VM to `destination` — `backend` (another backend of the same kind: a libvirt
    /// host, a Hyper-V host) or `backend/host` (a host of the VM's own SCVMM server) — as a
    /// job; when it ends, both backends are re-read so the VM's record follows it.
    public func migrate(
        _ argument: String, to destination: String, live: Bool = true, caller: Caller, operation: String? = nil, wait: Duration? = nil
    ) async throws(BackendError) -> ActionResult {
        let target: MigrationTarget
        var through = argument
        do throws(BackendError) {
            target = try await migrationTarget(destination, live: live)
            // The VM moves through its route on a backend of the target's kind.
            let entry = try await resolve(argument, live: false)
            let kind = await pluginName(of: target.backend)
            var sameKind: Namespace.Route?
            for route in entry.routes where await pluginName(of: route.backend) == kind {
                sameKind = route
                break
            }
            guard let route = sameKind else {
                throw BackendError(.unsupported, "\(entry.record.name) cannot move to \(target.backend): migration stays within one kind of "
                    + "backend (\(kind ?? "?") here), and none of its routes is one")
            }
            through = "\(route.backend)/\(route.domain.name)"
        } catch {
            await record(RPCMethod.migrate.rawValue, domain: argument, route: nil, failure: error, caller: caller)
            throw error
        }
        return try await perform(.migrate(target), on: through, caller: caller, operation: operation, wait: wait)
    }

    /// The name of the plugin serving `backend`, held here or (in a cluster) by another node.
    private func pluginName(of backend: String) async -> String? {
        if let plugin = await broker.plugin(of: backend) { return type(of: plugin).name }
        return cluster?.uri(of: backend).flatMap { broker.plugin(for: $0) }.map { type(of: $0).name }
    }

    /// `backend[/host]` as a migration target: a backend of the federation (in a cluster, held
    /// by any node: the source's host dials the destination itself), and its host.
    private func migrationTarget(_ destination: String, live: Bool) async throws(BackendError) -> MigrationTarget {
        let parts = destination.split(separator: "/", maxSplits: 1).map(String.init)
        guard let backend = parts.first, !backend.isEmpty else {
            throw BackendError(.invalidArgument, "a migration target is BACKEND or BACKEND/HOST, not '\(destination)'")
        }
        guard let uri = await broker.uri(of: backend) ?? cluster?.uri(of: backend) else {
            throw BackendError(.notFound, "no backend named '\(backend)'; backends: \(await backendNames().sorted().joined(separator: ", "))")
        }
        return MigrationTarget(backend: backend, uri: uri, host: parts.count > 1 ? parts[1] : uri.host, live: live)
    }
}
