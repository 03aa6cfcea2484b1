import BrokerAPI
import BrokerCore
import Federation
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

    var service: FederationService { facade.service }
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
        let list = await service.listing(DomainFilter(all: true)).list
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
            result = .success(try await service.domain(argument))
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

    /// Runs a lifecycle action through the service (which refuses it on a read-only
    /// connection, in libvirt's words, and audits it); the VM as it is after.
    func perform(_ action: DomainAction, _ dom: NonnullDomain, api: String) async throws -> DomainRecord {
        let result = try await change(.lifecycle(action), dom, api: api)
        if let after = try? await service.domain(result.domain) { return after }
        return try await record(dom)
    }

    /// Runs any change through the service, waiting for its job to end (libvirt's calls are
    /// synchronous); a read-only connection is refused before the VM is looked up, as libvirt does.
    @discardableResult
    func change(_ change: DomainChange, _ dom: NonnullDomain, api: String) async throws -> ActionResult {
        let name = isReadOnly ? dom.name : try await record(dom).name
        invalidate()
        return try await service.perform(change, on: name, caller: caller, operation: api)
    }

    /// This connection as the service's caller, refused in libvirt's words when read-only.
    var caller: Caller {
        Caller(door: context.listener, peer: context.peer.map { ($0.pid, $0.uid, $0.gid) },
               readOnly: isReadOnly, refusal: { "read only access prevents \($0)" })
    }
}
