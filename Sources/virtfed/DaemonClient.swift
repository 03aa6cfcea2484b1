import BlockingWork
import BrokerAPI
import BrokerCore
import Foundation

/// The CLI as a client of `virtfedd`: JSON-RPC 2.0 over its Unix socket, errors turned back
/// into the broker's typed errors.
final class DaemonClient: FederationClient, @unchecked Sendable {
    private let path: String
    /// The socket calls block; they run here, off the cooperative pool.
    private static let pool = BlockingPool(name: "virtfed-client", threads: 2)
    private let queue = BlockingQueue(label: "virtfed.client", pool: DaemonClient.pool)
    // Touched only on `queue`.
    private var connection: UnixLineConnection?
    private var nextID = 0

    init(path: String) {
        self.path = path
    }

    func backends() async throws(BackendError) -> [BackendStatus] { try await call(.backends) }
    func hosts() async throws(BackendError) -> HostList { try await call(.hosts) }
    func clusterStatus() async throws(BackendError) -> ClusterStatus { try await call(.clusterStatus) }
    /// A listing, read straight from the answer's bytes (`DomainList.read`); any other answer the
    /// general way.
    func listDomains(_ filter: DomainFilter) async throws(BackendError) -> DomainList {
        try await call(.domains, filter, fastPath: { DomainList.read(response: Array($0)) })
    }
    func domain(_ argument: String) async throws(BackendError) -> DomainRecord { try await call(.domain, DomainParams(domain: argument)) }
    func statistics(_ query: DomainStatsQuery) async throws(BackendError) -> DomainStatsList { try await call(.stats, query) }

    func xml(_ argument: String) async throws(BackendError) -> String {
        let result: DomainXML = try await call(.xml, DomainParams(domain: argument))
        return result.xml
    }

    func perform(_ change: ChangeRequest, on argument: String, wait: Duration?) async throws(BackendError) -> ActionResult {
        // The daemon follows the job either way; nil leaves the wait to the daemon's default.
        let (method, params) = change.call(on: argument, waitMs: wait?.inMilliseconds)
        return try await call(method, params)
    }

    func define(xml: String, backend: String?, host: String?, template: String?, wait: Duration?) async throws(BackendError) -> ActionResult {
        var params = ChangeParams()
        (params.xml, params.backend, params.host, params.template, params.waitMs) = (xml, backend, host, template, wait?.inMilliseconds)
        return try await call(.define, params)
    }

    func snapshots(of argument: String) async throws(BackendError) -> SnapshotList { try await call(.snapshots, DomainParams(domain: argument)) }

    func snapshotXML(_ name: String, of argument: String) async throws(BackendError) -> String {
        var params = ChangeParams(domain: argument)
        params.snapshot = name
        let result: DomainXML = try await call(.snapshotXML, params)
        return result.xml
    }

    func jobs(all: Bool) async throws(BackendError) -> [JobRecord] { try await call(.jobs, JobListParams(all: all)) }
    func job(_ id: String) async throws(BackendError) -> JobRecord { try await call(.job, JobParams(id: id)) }
    func cancelJob(_ id: String) async throws(BackendError) -> JobRecord { try await call(.jobCancel, JobParams(id: id)) }

    func nodeInfo(backend: String?) async throws(BackendError) -> NodeInfoResult { try await call(.nodeInfo, BackendParams(backend: backend)) }

    func close() async {
        _ = try? await queue.run { [self] () throws(BackendError) in connection = nil }
    }

    private struct Request<P: Encodable>: Encodable {
        let jsonrpc = "2.0"
        let method: String
        let params: P?
        let id: Int
    }

    private struct Response<R: Decodable>: Decodable {
        struct Failure: Decodable {
            struct Detail: Decodable {
                let code: String?
                let backend: String?
            }

            let code: Int
            let message: String
            let data: Detail?
        }

        let result: R?
        let error: Failure?
    }

    private struct NoParams: Encodable {}

    private func call<R: Decodable & Sendable>(_ method: RPCMethod) async throws(BackendError) -> R {
        try await call(method, NoParams?.none)
    }

    private func call<P: Encodable & Sendable, R: Decodable & Sendable>(
        _ method: RPCMethod, _ params: P?, fastPath: (@Sendable (Data) -> R?)? = nil
    ) async throws(BackendError) -> R {
        try await queue.run { [self] () throws(BackendError) -> R in
            nextID += 1
            let body = try Self.request(method, params, id: nextID)
            let line: Data
            do throws(UnixLineConnection.Failure) {
                let connection: UnixLineConnection
                if let open = self.connection {
                    connection = open
                } else {
                    connection = try UnixLineConnection(path: path)
                    self.connection = connection
                }
                try connection.send(body)
                line = try connection.receive()
            } catch {
                connection = nil
                throw unreachable(error)
            }
            if let fast = fastPath?(line) { return fast }
            return try Self.result(line)
        }
    }

    /// Subscribes on a connection of its own and hands each notification to `handle`.
    func watchEvents(
        _ filter: EventFilter, until deadline: ContinuousClock.Instant?, _ handle: @escaping @Sendable (BrokerEvent) -> Bool
    ) async throws(BackendError) {
        let subscribe = try Self.request(.subscribe, filter, id: 1)
        try await BlockingQueue(label: "virtfed.events", pool: Self.pool).run { [self] () throws(BackendError) in
            let connection: UnixLineConnection
            let answer: Data?
            do throws(UnixLineConnection.Failure) {
                connection = try UnixLineConnection(path: path)
                try connection.send(subscribe)
                answer = try connection.receive(until: deadline)
            } catch {
                throw unreachable(error)
            }
            guard let answer else { return }
            let _: EventSubscription = try Self.result(answer)
            while true {
                let line: Data?
                do throws(UnixLineConnection.Failure) {
                    line = try connection.receive(until: deadline)
                } catch {
                    throw unreachable(error)
                }
                guard let line else { return }
                if let event = Self.event(line), !handle(event) { return }
            }
        }
    }

    private static func request<P: Encodable>(_ method: RPCMethod, _ params: P?, id: Int) throws(BackendError) -> Data {
        guard let body = try? JSONEncoder().encode(Request(method: method.rawValue, params: params, id: id)) else {
            throw BackendError(.internal, "cannot encode the request")
        }
        return body
    }

    /// A response's result, or its error as the broker's typed error.
    private static func result<R: Decodable>(_ line: Data) throws(BackendError) -> R {
        let response: Response<R>
        do {
            response = try JSONDecoder().decode(Response<R>.self, from: line)
        } catch {
            throw BackendError(.internal, "unreadable answer from virtfedd: \(error)")
        }
        if let failure = response.error {
            let code = WireError.code(number: failure.code, dataCode: failure.data?.code)
            // The daemon's message already names the backend.
            throw BackendError(code, failure.message)
        }
        guard let result = response.result else { throw BackendError(.internal, "virtfedd answered without a result") }
        return result
    }

    private struct Notification<P: Decodable>: Decodable {
        let method: String
        let params: P
    }

    private struct Method: Decodable {
        let method: String?
    }

    /// An `event.*` notification as an event; nil for anything else.
    private static func event(_ line: Data) -> BrokerEvent? {
        let decoder = JSONDecoder()
        switch (try? decoder.decode(Method.self, from: line))?.method {
        case "event.domain": return (try? decoder.decode(Notification<DomainEventRecord>.self, from: line)).map { .domain($0.params) }
        case "event.backend": return (try? decoder.decode(Notification<BackendEventRecord>.self, from: line)).map { .backend($0.params) }
        case "event.job": return (try? decoder.decode(Notification<JobRecord>.self, from: line)).map { .job($0.params) }
        case "event.lost": return (try? decoder.decode(Notification<LostEvents>.self, from: line)).map { .lost($0.params.count) }
        default: return nil
        }
    }

    private func unreachable(_ failure: UnixLineConnection.Failure) -> BackendError {
        switch failure.errno {
        case ENOENT, ECONNREFUSED:
            BackendError(.backendUnavailable, """
                no virtfedd is listening on \(path) (\(failure.message)). \
                Start one with 'virtfedd --config FILE', or run without a daemon: 'virtfed --config FILE …'
                """)
        case EACCES:
            BackendError(.permissionDenied, "cannot connect to \(path): \(failure.message) (try -r for the read-only socket)")
        default:
            BackendError(.backendUnavailable, "virtfedd at \(path): \(failure.message)")
        }
    }
}
