import Broker
import BrokerAPI
import BrokerCore
import Foundation
import JSONRPC
import LibvirtRemote
import Logging
import NIOCore
import Synchronization

/// One libvirt client of the facade: its open state, its event callbacks, and a short-lived
/// view of the namespace (so `virsh list`'s per-domain calls after a listing do not fan out
/// to every backend again). Calls arrive one at a time; the state is behind a lock anyway.
final class LibvirtFacadeClient: RemoteClient {
    struct Callback: Sendable {
        var eventID: Int32
        var uuid: String?
    }

    struct State: Sendable {
        var opened = false
        var readOnly: Bool
        var uri: String?
        var callbacks: [Int32: Callback] = [:]
        var nextCallbackID: Int32 = 1
        var cache: [String: DomainRecord] = [:]
        var cachedAt: ContinuousClock.Instant?
        var eventTask: Task<Void, Never>?
    }

    let facade: LibvirtFacade
    let context: RemoteClientContext
    let sink: RemoteEventSink
    let state: Mutex<State>
    /// How long a listing answers lookups on the same connection.
    static let cacheLifetime = Duration.seconds(1)

    init(facade: LibvirtFacade, context: RemoteClientContext, sink: RemoteEventSink) {
        self.facade = facade
        self.context = context
        self.sink = sink
        state = Mutex(State(readOnly: context.readOnly))
    }

    var broker: Broker { facade.broker }
    var logger: Logger { facade.logger }

    func call(procedure: Int32, arguments: XDRReader) async -> Result<ByteBuffer, RemoteError> {
        guard let known = RemoteProcedure(rawValue: procedure), let handler = Self.table[known] else {
            logger.debug("libvirt procedure not supported", metadata: ["procedure": "\(procedure)", "connection": "\(context.connectionID)"])
            return .failure(RemoteError(.noSupport, "remote procedure \(procedure)"))
        }
        if !state.withLock({ $0.opened }) && !Self.beforeOpen.contains(known) {
            return .failure(RemoteError(.internalError, "connection not open"))
        }
        var reader = arguments
        do {
            return .success(try await handler(self, &reader).buffer)
        } catch let error as RemoteError {
            return .failure(error)
        } catch let error as XDRError {
            logger.notice("undecodable libvirt arguments", metadata: ["procedure": "\(procedure)", "error": "\(error)"])
            return .failure(RemoteError(.rpc, "Unable to decode message payload: \(error)", domain: .rpc))
        } catch let error as BackendError {
            return .failure(LibvirtErrorMapping.remoteError(error))
        } catch {
            return .failure(RemoteError(.internalError, "\(error)"))
        }
    }

    func disconnected() async {
        let task = state.withLock { state -> Task<Void, Never>? in
            defer { state.eventTask = nil; state.callbacks = [:] }
            return state.eventTask
        }
        task?.cancel()
    }

    // MARK: - Domains

    /// The wire form of a record: federated name, real UUID, federated id.
    func wire(_ record: DomainRecord) -> NonnullDomain {
        NonnullDomain(name: record.name, uuid: UUIDBytes.parse(record.uuid) ?? [UInt8](repeating: 0, count: 16),
                      id: facade.ids.id(uuid: record.uuid, active: record.state.isActive))
    }

    /// Every VM of the federation, remembered briefly for the lookups that follow.
    func listAll() async -> [DomainRecord] {
        let list = await broker.listDomains(DomainFilter(all: true))
        for failure in list.errors {
            logger.notice("backend missing from a libvirt listing", metadata: ["backend": "\(failure.backend)", "error": "\(failure.message)"])
        }
        let now = ContinuousClock.now
        state.withLock { state in
            state.cache = Dictionary(list.domains.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
            state.cachedAt = now
        }
        for record in list.domains { _ = facade.ids.id(uuid: record.uuid, active: record.state.isActive) }
        return list.domains
    }

    /// The VM a `remote_nonnull_domain` names (by its UUID, as libvirt does).
    func record(_ dom: NonnullDomain) async throws -> DomainRecord {
        let uuid = UUIDBytes.format(dom.uuid)
        if let cached = cached(uuid) { return cached }
        return try await lookUp(uuid, missing: "no domain with matching uuid '\(uuid)' (\(dom.name))")
    }

    /// The VM of a federated name (or an unambiguous bare one).
    func record(named name: String) async throws -> DomainRecord {
        if let cached = state.withLock({ state in state.cache.values.first { $0.name == name } }), isFresh() { return cached }
        return try await lookUp(name, missing: "no domain with matching name '\(name)'")
    }

    /// The VM of a UUID.
    func record(uuid: String) async throws -> DomainRecord {
        if let cached = cached(uuid) { return cached }
        return try await lookUp(uuid, missing: "no domain with matching uuid '\(uuid)'")
    }

    /// One VM through the broker; not found (or ambiguous) becomes libvirt's VIR_ERR_NO_DOMAIN.
    private func lookUp(_ argument: String, missing: String) async throws -> DomainRecord {
        let result: Result<DomainRecord, BackendError>
        do throws(BackendError) {
            result = .success(try await broker.domain(argument))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let record): return remember(record)
        case .failure(let error) where error.code == .notFound || error.code == .ambiguous:
            throw RemoteError(.noDomain, missing, domain: .dom)
        case .failure(let error): throw error
        }
    }

    private func cached(_ uuid: String) -> DomainRecord? {
        guard isFresh() else { return nil }
        return state.withLock { $0.cache[uuid] }
    }

    private func isFresh() -> Bool {
        guard let at = state.withLock({ $0.cachedAt }) else { return false }
        return ContinuousClock.now - at < Self.cacheLifetime
    }

    private func remember(_ record: DomainRecord) -> DomainRecord {
        _ = facade.ids.id(uuid: record.uuid, active: record.state.isActive)
        return record
    }

    /// Forgets the listing (after anything that changes a VM).
    func invalidate() {
        state.withLock { $0.cachedAt = nil }
    }

    // MARK: - Mutations

    /// Whether this connection may only read (its socket, or opened with VIR_CONNECT_RO).
    var isReadOnly: Bool { state.withLock { $0.readOnly } }

    /// Refuses on a read-only connection with libvirt's own words.
    func requireWritable(_ api: String) throws {
        if isReadOnly {
            throw RemoteError(.operationDenied, "read only access prevents \(api)")
        }
    }

    /// Runs a lifecycle action through the broker, audited like the JSON-RPC front door's.
    func perform(_ action: DomainAction, _ dom: NonnullDomain, api: String) async throws -> DomainRecord {
        let method = RPCMethod.allCases.first { $0.action == action }?.rawValue ?? action.rawValue
        do {
            try requireWritable(api)
        } catch {
            await audit(method: method, domain: dom.name, route: nil, failure: (ErrorCode.permissionDenied.rawValue, "\(api) refused on a read-only connection"))
            throw error
        }
        let record = try await record(dom)
        invalidate()
        let outcome: Result<ActionResult, BackendError>
        do throws(BackendError) {
            outcome = .success(try await broker.perform(action, on: record.name))
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let result):
            await audit(method: method, domain: result.domain, route: result.route, failure: nil)
        case .failure(let error):
            await audit(method: method, domain: record.name, route: nil, failure: (error.code.rawValue, error.description))
            throw error
        }
        return (try? await broker.domain(record.uuid)) ?? record
    }

    private func audit(method: String, domain: String, route: String?, failure: (code: String, message: String)?) async {
        let peer = context.peer.map { PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid) }
        var metadata: Logger.Metadata = ["method": "\(method)", "domain": "\(domain)", "listener": "\(context.listener)",
                                         "result": "\(failure?.code ?? "ok")"]
        if let peer { metadata["peer"] = "uid=\(peer.uid) gid=\(peer.gid) pid=\(peer.pid)" }
        logger.info("mutating call", metadata: metadata)
        await facade.audit?.record(AuditLog.Entry(
            time: AuditLog.timestamp(), peer: peer, listener: context.listener, method: method, domain: domain, route: route,
            result: failure == nil ? "ok" : "error", code: failure?.code, message: failure?.message))
    }
}
