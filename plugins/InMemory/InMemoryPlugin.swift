import BrokerCore
import Logging
import Synchronization

/// An in-memory backend (the Hummingbird way: a driver beside the protocol), for tests of
/// the engine, the service and the doors, and for plugin authors to compare against. Each
/// URI host (`mem://a/`) names a `Backend` in a shared table whose behaviour a test sets.
public final class InMemoryPlugin: BackendPlugin, Sendable {
    public static let name = "memory"
    public static let schemes: Set<String> = ["mem"]

    /// What a backend does when asked.
    public enum Behaviour: Sendable {
        case normal
        /// Never answers (like a host that accepts connections and then says nothing).
        case hang
        /// Refuses connections.
        case refuse
        /// Answers after a pause.
        case slow(Duration)
        /// Calls on sessions opened before the n-th open block like a stuck C call, deaf to
        /// cancellation, until the behaviour changes; later sessions answer normally.
        case stuckBefore(Int)
    }

    public final class Backend: Sendable {
        public let domains: Mutex<[Domain]>
        public let behaviour = Mutex(Behaviour.normal)
        public let opens = Atomic<Int>(0)
        public let alive = Atomic<Bool>(true)
        /// Calls running now, and the most ever seen at once.
        public let running = Atomic<Int>(0)
        public let peak = Atomic<Int>(0)
        /// Actions running now, and the most ever seen at once.
        public let performing = Atomic<Int>(0)
        public let peakPerforming = Atomic<Int>(0)
        /// With events on, sessions offer an event stream; the test sends on the latest one.
        public let hasEvents: Bool
        let eventSink = Mutex<AsyncStream<DomainEvent>.Continuation?>(nil)
        /// Each VM's snapshots (by UUID), parents first.
        public let snapshots = Mutex<[String: [DomainSnapshot]]>([:])
        /// Changes beyond lifecycle actions that reached this backend, in order (`define web`,
        /// `snapshot-create web s1` …): what a test checks was sent once.
        public let changes = Mutex<[String]>([])

        public init(_ domains: [Domain], events: Bool = false) {
            self.domains = Mutex(domains)
            hasEvents = events
        }

        /// Delivers an event as the backend would; false when nobody listens yet.
        @discardableResult
        public func send(_ event: DomainEvent) -> Bool {
            eventSink.withLock { $0?.yield(event) } != nil
        }
    }

    public let backends: [String: Backend]
    /// Opens under way now across every backend, the most ever at once, and when each began.
    public let opening = Atomic<Int>(0)
    public let peakOpening = Atomic<Int>(0)
    public let openTimes = Mutex<[ContinuousClock.Instant]>([])
    /// How long every open takes (a handshake), before the backend's own behaviour.
    public let openDuration: Duration

    /// A plugin serving these backends, by URI host.
    public init(_ backends: [String: Backend], openDuration: Duration = .zero) {
        self.backends = backends
        self.openDuration = openDuration
    }

    public func open(_ uri: BackendURI, credentials: Credentials?, options _: BackendOptions, logger: Logger) async throws(BackendError) -> any BackendSession {
        guard let backend = backends[uri.host ?? ""] else { throw BackendError(.backendUnavailable, "no such host") }
        let number = backend.opens.add(1, ordering: .relaxed).newValue
        openTimes.withLock { $0.append(.now) }
        peakOpening.max(opening.add(1, ordering: .relaxed).newValue, ordering: .relaxed)
        defer { opening.subtract(1, ordering: .relaxed) }
        if openDuration > .zero { try? await Task.sleep(for: openDuration) }
        try await Self.behave(backend)
        backend.alive.store(true, ordering: .relaxed)
        return Session(backend: backend, number: number, peers: backends)
    }

    static func behave(_ backend: Backend, session: Int = .max) async throws(BackendError) {
        switch backend.behaviour.withLock({ $0 }) {
        case .normal: return
        case .slow(let pause): try? await Task.sleep(for: pause)
        case .stuckBefore(let opened):
            guard session < opened else { return }
            while backend.behaviour.withLock({ if case .stuckBefore = $0 { true } else { false } }) {
                try? await Task.sleep(for: .milliseconds(5))
                await Task.yield()
            }
        case .refuse: throw BackendError(.backendUnavailable, "connection refused")
        case .hang:
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            throw BackendError(.timeout, "cancelled")
        }
    }

    public final class Session: BackendSession {
        public let backend: Backend
        /// Which open of its backend this session came from (1-based).
        public let number: Int
        /// Every backend of the plugin, by URI host (where a migration goes).
        let peers: [String: Backend]
        init(backend: Backend, number: Int, peers: [String: Backend]) {
            self.backend = backend
            self.number = number
            self.peers = peers
        }

        public var isAlive: Bool { backend.alive.load(ordering: .relaxed) }

        public func hosts() async throws(BackendError) -> [Host] { [Host(name: "memhost", hypervisor: "MEM")] }

        public func domains(detail _: ListingDetail) async throws(BackendError) -> [Domain] {
            let now = backend.running.add(1, ordering: .relaxed).newValue
            defer { backend.running.subtract(1, ordering: .relaxed) }
            backend.peak.max(now, ordering: .relaxed)
            try await InMemoryPlugin.behave(backend, session: number)
            guard isAlive else { throw BackendError(.backendUnavailable, "connection lost") }
            return backend.domains.withLock { $0 }
        }

        public func domain(_ ref: DomainRef) async throws(BackendError) -> Domain {
            guard let found = try await domains(detail: .full).first(where: { $0.uuid == ref.uuid }) else {
                throw BackendError(.notFound, "no domain \(ref)")
            }
            return found
        }

        public func perform(_ action: DomainAction, on ref: DomainRef) async throws(BackendError) -> JobStatus {
            backend.peakPerforming.max(backend.performing.add(1, ordering: .relaxed).newValue, ordering: .relaxed)
            defer { backend.performing.subtract(1, ordering: .relaxed) }
            try await InMemoryPlugin.behave(backend)
            guard isAlive else { throw BackendError(.backendUnavailable, "connection lost") }
            return try backend.domains.withLock { (domains) throws(BackendError) -> JobStatus in
                guard let index = domains.firstIndex(where: { $0.uuid == ref.uuid }) else {
                    throw BackendError(.notFound, "no domain \(ref)")
                }
                switch action {
                case .start:
                    guard !domains[index].state.isActive else { throw BackendError(.invalidState, "domain is already running") }
                    domains[index].state = .running
                case .destroy:
                    guard domains[index].state.isActive else { throw BackendError(.invalidState, "domain is not running") }
                    domains[index].state = .shutoff
                default:
                    throw BackendError.unsupported(action.rawValue)
                }
                return .completed(domains[index].state)
            }
        }

        public func events() -> AsyncStream<DomainEvent>? {
            guard backend.hasEvents else { return nil }
            let (stream, continuation) = AsyncStream.makeStream(of: DomainEvent.self)
            backend.eventSink.withLock { $0 = continuation }
            return stream
        }

        public func close() async {}
    }
}

extension Domain {
    /// A compact VM for an in-memory backend.
    public static func vm(_ name: String, _ uuid: String, _ state: DomainState = .running, id: Int? = nil, host: String = "h", bios: String? = nil) -> Domain {
        Domain(name: name, uuid: uuid, id: state.isActive ? (id ?? 1) : nil, state: state, backendState: state.rawValue,
               host: host, vcpus: 1, memoryKiB: 1024, maxMemoryKiB: 2048, biosGuid: bios)
    }
}
