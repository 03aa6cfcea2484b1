import Broker
import BrokerAPI
import BrokerCore
import Foundation
import JSONRPC
import Logging

/// virtfedd's methods over JSON-RPC: params decoded strictly, the read-only socket refusing
/// every mutating method, every mutating call audited before it is answered.
struct BrokerRPCHandler: RPCHandler {
    let broker: Broker
    let audit: AuditLog?
    let logger: Logger
    let subscriptions: EventSubscriptions
    /// `domains.list` answers, the cached ones kept between calls.
    private let listings = ListingEncoder()
    /// The answers that never change, encoded once.
    private let pong: RPCPreEncoded
    private let version: RPCPreEncoded

    init(broker: Broker, audit: AuditLog?, logger: Logger, plugins: [String: [String]], subscriptions: EventSubscriptions) throws {
        self.broker = broker
        self.audit = audit
        self.logger = logger
        self.subscriptions = subscriptions
        pong = try RPCPreEncoded(Pong())
        version = try RPCPreEncoded(BrokerVersion(version: BrokerVersion.current, plugins: plugins))
    }

    func handleInline(_ request: RPCRequest, context: RPCContext) -> Result<any Encodable & Sendable, RPCError>? {
        switch request.method {
        case RPCMethod.ping.rawValue: .success(pong)
        case RPCMethod.version.rawValue: .success(version)
        default: nil
        }
    }

    func handle(_ request: RPCRequest, context: RPCContext) async throws(RPCError) -> any Encodable & Sendable {
        if let inline = handleInline(request, context: context) { return try inline.get() }
        guard let method = RPCMethod(rawValue: request.method) else { throw .methodNotFound(request.method) }
        if method.isMutating && context.readOnly {
            let refusal = BackendError(.permissionDenied, "\(method.rawValue) is refused on the read-only socket")
            await record(method, domain: nil, outcome: .failure(refusal), context: context)
            throw RPCErrorMapping.rpcError(refusal)
        }
        switch method {
        case .ping, .version:
            throw .internalError("unreachable")
        case .backends:
            try Params.none(request)
            return await broker.backends()
        case .hosts:
            try Params.none(request)
            return await broker.hosts()
        case .domains:
            let filter = try Params.decode(DomainFilter.self, request, allowed: ["all", "backend", "state", "name", "detail", "max_age_ms"])
            return listings.encode(await broker.listing(filter), filter: filter)
        case .domain:
            let name = try Params.decode(DomainParams.self, request, allowed: ["domain"]).domain
            return try await mapped { () throws(BackendError) in try await broker.domain(name) }
        case .xml:
            let name = try Params.decode(DomainParams.self, request, allowed: ["domain"]).domain
            return try await mapped { () throws(BackendError) in DomainXML(domain: name, xml: try await broker.xml(name)) }
        case .nodeInfo:
            let backend = try Params.decode(BackendParams.self, request, allowed: ["backend"]).backend
            return try await mapped { () throws(BackendError) in try await broker.nodeInfo(backend: backend) }
        case .subscribe:
            let filter = try Params.decode(EventFilter.self, request, allowed: ["backends", "domains", "types"])
            guard let notifier = context.notifier else { throw .internalError("no connection to notify") }
            if let backends = filter.backends {
                let known = Set(await broker.backends().map(\.name))
                if let unknown = backends.first(where: { !known.contains($0) }) {
                    throw RPCErrorMapping.rpcError(BackendError(.notFound, "no backend named '\(unknown)'"))
                }
            }
            return subscriptions.start(filter, connection: context.connectionID, notifier: notifier)
        case .unsubscribe:
            let id = try Params.decode(EventSubscription.self, request, allowed: ["subscription"]).subscription
            guard subscriptions.stop(id, connection: context.connectionID) else {
                throw RPCErrorMapping.rpcError(BackendError(.notFound, "no subscription \(id) on this connection"))
            }
            return EventSubscription(subscription: id)
        case .start, .shutdown, .destroy, .reboot, .reset, .suspend, .resume, .save:
            let name = try Params.decode(DomainParams.self, request, allowed: ["domain"]).domain
            return try await mapped { () throws(BackendError) in try await perform(method.action!, on: name, method: method, context: context) }
        }
    }

    /// Logs a mutating call with its peer, and appends it to the audit log before the answer.
    private func record(_ method: RPCMethod, domain: String?, outcome: Result<ActionResult, BackendError>, context: RPCContext) async {
        let failure: BackendError? = if case .failure(let error) = outcome { error } else { nil }
        let result = try? outcome.get()
        var metadata: Logger.Metadata = ["method": "\(method.rawValue)", "domain": "\(domain ?? "-")", "listener": "\(context.listener)",
                                         "result": "\(failure?.code.rawValue ?? "ok")"]
        if let peer = context.peer { metadata["peer"] = "uid=\(peer.uid) gid=\(peer.gid) pid=\(peer.pid)" }
        logger.info("mutating call", metadata: metadata)
        await audit?.record(AuditLog.Entry(
            time: AuditLog.timestamp(), peer: context.peer, listener: context.listener, method: method.rawValue,
            domain: result?.domain ?? domain, route: result?.route,
            result: failure == nil ? "ok" : "error", code: failure?.code.rawValue, message: failure?.message
        ))
    }

    /// Runs broker work, its errors mapped to the wire.
    private func mapped<T: Sendable>(_ work: () async throws(BackendError) -> T) async throws(RPCError) -> T {
        do {
            return try await work()
        } catch {
            throw RPCErrorMapping.rpcError(error)
        }
    }

    private func perform(_ action: DomainAction, on name: String, method: RPCMethod, context: RPCContext) async throws(BackendError) -> ActionResult {
        let outcome: Result<ActionResult, BackendError>
        do throws(BackendError) {
            outcome = .success(try await broker.perform(action, on: name))
        } catch {
            outcome = .failure(error)
        }
        await record(method, domain: name, outcome: outcome, context: context)
        return try outcome.get()
    }
}

/// Strict decoding of method params: an object with only the known members.
enum Params {
    static func none(_ request: RPCRequest) throws(RPCError) {
        switch request.params {
        case nil: return
        case .object(let members)? where members.isEmpty: return
        case .array(let items)? where items.isEmpty: return
        default: throw .invalidParams("this method takes no params")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: RPCRequest, allowed: Set<String>) throws(RPCError) -> T {
        let members: [String: JSONValue]
        switch request.params {
        case nil: members = [:]
        case .object(let object)?: members = object
        default: throw .invalidParams("params must be an object")
        }
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalidParams("unknown member '\(unknown)'; known: \(allowed.sorted().joined(separator: ", "))")
        }
        do {
            return try JSONDecoder().decode(T.self, from: JSONEncoder().encode(JSONValue.object(members)))
        } catch DecodingError.keyNotFound(let key, _) {
            throw .invalidParams("missing member '\(key.stringValue)'")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.dataCorrupted(let context) {
            throw .invalidParams("bad value for '\(context.codingPath.map(\.stringValue).joined(separator: "."))'")
        } catch {
            throw .invalidParams("\(error)")
        }
    }
}
