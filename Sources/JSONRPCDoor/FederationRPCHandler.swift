import BrokerAPI
import BrokerCore
import Federation
import JSONRPC

/// The federation over JSON-RPC: each method's params read strictly, the service called with
/// the connection as its caller, the answer encoded. What a call means is the service's.
public struct FederationRPCHandler: RPCHandler {
    let service: FederationService
    let subscriptions: EventSubscriptions
    /// The answers that never change, encoded once.
    private let pong: RPCPreEncoded
    private let version: RPCPreEncoded

    /// Creates the handler; `plugins` (name → schemes) is what `broker.version` reports.
    public init(service: FederationService, plugins: [String: [String]], eventQueueLimit: Int) throws {
        self.service = service
        subscriptions = EventSubscriptions(service: service, queueLimit: eventQueueLimit)
        pong = try RPCPreEncoded(Pong())
        version = try RPCPreEncoded(BrokerVersion(version: BrokerVersion.current, plugins: plugins))
    }

    public func handleInline(_ request: RPCRequest, context: RPCContext) -> Result<any Encodable & Sendable, RPCError>? {
        switch request.method {
        case RPCMethod.ping.rawValue: .success(pong)
        case RPCMethod.version.rawValue: .success(version)
        default: nil
        }
    }

    public func handle(_ request: RPCRequest, context: RPCContext) async throws(RPCError) -> any Encodable & Sendable {
        if let inline = handleInline(request, context: context) { return try inline.get() }
        guard let method = RPCMethod(rawValue: request.method) else { throw .methodNotFound(request.method) }
        switch method {
        case .ping, .version:
            throw .internalError("unreachable")
        case .backends:
            try RPCParams.none(request)
            return await service.backends()
        case .hosts:
            try RPCParams.none(request)
            return await service.hosts()
        case .clusterStatus:
            try RPCParams.none(request)
            return try await mapped { () throws(BackendError) in try await service.clusterStatus() }
        case .domains:
            let filter = try DomainFilter(params: RPCParams(request, allowed: DomainFilter.members))
            return await service.listing(filter).preEncoded()
        case .stats:
            let query = try DomainStatsQuery(params: RPCParams(request, allowed: DomainStatsQuery.members))
            return try await mapped { () throws(BackendError) in try await service.statistics(query) }
        case .domain:
            let name = try RPCParams(request, allowed: ["domain"]).required("domain")
            return try await mapped { () throws(BackendError) in try await service.domain(name) }
        case .xml:
            let name = try RPCParams(request, allowed: ["domain"]).required("domain")
            return try await mapped { () throws(BackendError) in DomainXML(domain: name, xml: try await service.xml(name)) }
        case .nodeInfo:
            let backend = try RPCParams(request, allowed: ["backend"]).string("backend")
            return try await mapped { () throws(BackendError) in try await service.nodeInfo(backend: backend) }
        case .subscribe:
            let filter = try EventFilter(params: RPCParams(request, allowed: EventFilter.members))
            guard let notifier = context.notifier else { throw .internalError("no connection to notify") }
            if let backends = filter.backends {
                let known = await service.backendNames()
                if let unknown = backends.first(where: { !known.contains($0) }) {
                    throw RPCErrorMapping.rpcError(BackendError(.notFound, "no backend named '\(unknown)'"))
                }
            }
            return subscriptions.start(filter, connection: context.connectionID, notifier: notifier)
        case .unsubscribe:
            guard let id = try RPCParams(request, allowed: ["subscription"]).integer("subscription") else {
                throw .invalidParams("missing member 'subscription'")
            }
            guard subscriptions.stop(id, connection: context.connectionID) else {
                throw RPCErrorMapping.rpcError(BackendError(.notFound, "no subscription \(id) on this connection"))
            }
            return EventSubscription(subscription: id)
        case .start, .shutdown, .destroy, .reboot, .reset, .suspend, .resume, .save:
            return try await change(.lifecycle(method.action!), RPCParams(request, allowed: ["domain", "wait_ms"]), context)
        case .define:
            let params = try RPCParams(request, allowed: ["backend", "host", "template", "xml", "wait_ms"])
            let (backend, xml, host, wait) = (try params.string("backend"), try params.required("xml"), try params.string("host"), try Self.wait(params))
            let template = try params.string("template")
            let caller = Self.caller(context)
            return try await mapped { () throws(BackendError) in
                try await service.define(xml: xml, backend: backend, host: host, template: template, caller: caller, wait: wait)
            }
        case .undefine:
            let params = try RPCParams(request, allowed: ["domain", "snapshots_metadata", "managed_save", "wait_ms"])
            let options = UndefineOptions(snapshotsMetadata: try params.bool("snapshots_metadata") ?? false,
                                          managedSave: try params.bool("managed_save") ?? false)
            return try await change(.undefine(options), params, context)
        case .setAutostart:
            let params = try RPCParams(request, allowed: ["domain", "enabled", "wait_ms"])
            guard let enabled = try params.bool("enabled") else { throw .invalidParams("missing member 'enabled'") }
            return try await change(.setAutostart(enabled), params, context)
        case .migrate:
            let params = try RPCParams(request, allowed: ["domain", "to", "live", "wait_ms"])
            let (name, destination, live, wait) = (try params.required("domain"), try params.required("to"), try params.bool("live") ?? true, try Self.wait(params))
            let caller = Self.caller(context)
            return try await mapped { () throws(BackendError) in
                try await service.migrate(name, to: destination, live: live, caller: caller, wait: wait)
            }
        case .snapshots:
            let name = try RPCParams(request, allowed: ["domain"]).required("domain")
            return try await mapped { () throws(BackendError) in try await service.snapshots(of: name) }
        case .snapshotXML:
            let params = try RPCParams(request, allowed: ["domain", "snapshot"])
            let (name, snapshot) = (try params.required("domain"), try params.required("snapshot"))
            return try await mapped { () throws(BackendError) in
                DomainXML(domain: name, xml: try await service.snapshotXML(snapshot, of: name))
            }
        case .snapshotCreate:
            let params = try RPCParams(request, allowed: ["domain", "name", "description", "wait_ms"])
            let request = SnapshotRequest(name: try params.string("name"), description: try params.string("description"))
            return try await change(.createSnapshot(request), params, context)
        case .snapshotRevert:
            let params = try RPCParams(request, allowed: ["domain", "snapshot", "wait_ms"])
            return try await change(.revertSnapshot(try params.required("snapshot")), params, context)
        case .snapshotDelete:
            let params = try RPCParams(request, allowed: ["domain", "snapshot", "children", "wait_ms"])
            return try await change(.deleteSnapshot(try params.required("snapshot"), children: try params.bool("children") ?? false), params, context)
        case .jobs:
            let all = try RPCParams(request, allowed: ["all"]).bool("all") ?? false
            return await service.jobList(all: all)
        case .job:
            let id = try RPCParams(request, allowed: ["id"]).required("id")
            return try await mapped { () throws(BackendError) in try await service.job(id) }
        case .jobCancel:
            let id = try RPCParams(request, allowed: ["id"]).required("id")
            let caller = Self.caller(context)
            return try await mapped { () throws(BackendError) in try await service.cancel(job: id, caller: caller) }
        }
    }

    /// How long an action waits for its job to end before answering with it running.
    static let defaultWaitMilliseconds = 2000

    /// `wait_ms`, checked, or the default.
    private static func wait(_ params: RPCParams) throws(RPCError) -> Duration {
        let wait = try params.integer("wait_ms") ?? defaultWaitMilliseconds
        guard wait >= 0 else { throw .invalidParams("wait_ms must be 0 or more") }
        return .milliseconds(wait)
    }

    /// A change to the VM named by `domain`, as the connection's caller.
    private func change(_ change: DomainChange, _ params: RPCParams, _ context: RPCContext) async throws(RPCError) -> ActionResult {
        let (name, wait, caller) = (try params.required("domain"), try Self.wait(params), Self.caller(context))
        return try await mapped { () throws(BackendError) in try await service.perform(change, on: name, caller: caller, wait: wait) }
    }

    /// The connection as the service's caller.
    static func caller(_ context: RPCContext) -> Caller {
        Caller(door: context.listener, peer: context.peer.map { ($0.pid, $0.uid, $0.gid) },
               readOnly: context.readOnly)
    }

    /// Runs service work, its errors mapped to the wire.
    private func mapped<T: Sendable>(_ work: () async throws(BackendError) -> T) async throws(RPCError) -> T {
        do {
            return try await work()
        } catch {
            throw RPCErrorMapping.rpcError(error)
        }
    }
}
