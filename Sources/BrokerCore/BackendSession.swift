/// An open session to one backend. The required surface is small; every optional operation
/// has a default that throws `unsupported`, so a plugin implements only what its backend has.
///
/// Implementations must never block Swift's cooperative pool: blocking C calls belong on a
/// thread of the session's own.
public protocol BackendSession: Sendable {
    /// The hypervisor hosts behind this backend.
    func hosts() async throws(BackendError) -> [Host]
    /// Every VM, active and inactive, in a constant number of round trips where the backend
    /// allows, with what `detail` asks for; fields not asked for may be left at zero (backends
    /// whose full listing is as cheap as any other give the full one).
    func domains(detail: ListingDetail) async throws(BackendError) -> [Domain]
    /// One VM.
    func domain(_ ref: DomainRef) async throws(BackendError) -> Domain
    /// Runs a lifecycle action and reports its outcome.
    func perform(_ action: DomainAction, on ref: DomainRef) async throws(BackendError) -> JobStatus
    /// Releases the session.
    func close() async

    /// Whether the session is still connected (cheap, no round trip where possible).
    var isAlive: Bool { get }
    /// The VM's definition in libvirt's domain XML schema.
    func xml(_ ref: DomainRef) async throws(BackendError) -> String
    /// Hardware of a host behind this backend (nil: the only or first one).
    func nodeInfo(host: String?) async throws(BackendError) -> NodeInfo
    /// The backend's own lifecycle events, for as long as the session lives; nil when it has
    /// none, and the broker polls and diffs instead.
    func events() -> AsyncStream<DomainEvent>?

    /// Sends a lifecycle action and returns as soon as the backend has taken it: `completed`
    /// (or `failed`) when it acts at once, `running` with the backend's `jobID` when it runs
    /// the action as a job. Sent at most once. By default: `perform`, which waits for the end.
    func start(_ action: DomainAction, on ref: DomainRef) async throws(BackendError) -> JobStatus
    /// Where a backend's job stands now (one query; the caller polls).
    func jobStatus(_ jobID: String) async throws(BackendError) -> JobStatus
    /// Asks the backend to cancel its job; the job's status then says whether it was.
    func cancelJob(_ jobID: String) async throws(BackendError)

    /// Sends a change to one VM, like `start(_:on:)`: at most once, returning as soon as the
    /// backend has taken it. By default lifecycle actions go to `start(_:on:)` and every other
    /// change is `unsupported`.
    func apply(_ change: DomainChange, on ref: DomainRef) async throws(BackendError) -> JobStatus
    /// Creates a VM (on `host`, for a backend with several); the status's `domainUUID` names
    /// it. Sent at most once.
    func define(_ definition: DomainDefinition, on host: String?) async throws(BackendError) -> JobStatus
    /// The VM's snapshots, parents before their children where the backend says.
    func snapshots(of ref: DomainRef) async throws(BackendError) -> [DomainSnapshot]
    /// A snapshot in libvirt's snapshot XML, where the backend has its own; otherwise the
    /// service writes one from `snapshots(of:)`.
    func snapshotXML(_ name: String, of ref: DomainRef) async throws(BackendError) -> String
}

extension BackendSession {
    public var isAlive: Bool { true }

    public func xml(_ ref: DomainRef) async throws(BackendError) -> String {
        throw .unsupported("domain XML")
    }

    public func nodeInfo(host: String?) async throws(BackendError) -> NodeInfo {
        throw .unsupported("node info")
    }

    public func events() -> AsyncStream<DomainEvent>? { nil }

    public func start(_ action: DomainAction, on ref: DomainRef) async throws(BackendError) -> JobStatus {
        try await perform(action, on: ref)
    }

    public func jobStatus(_ jobID: String) async throws(BackendError) -> JobStatus {
        throw .unsupported("jobs")
    }

    public func cancelJob(_ jobID: String) async throws(BackendError) {
        throw .unsupported("cancelling a job")
    }

    public func apply(_ change: DomainChange, on ref: DomainRef) async throws(BackendError) -> JobStatus {
        guard case .lifecycle(let action) = change else { throw .unsupported(change.operation.rawValue) }
        return try await start(action, on: ref)
    }

    public func define(_ definition: DomainDefinition, on host: String?) async throws(BackendError) -> JobStatus {
        throw .unsupported("define")
    }

    public func snapshots(of ref: DomainRef) async throws(BackendError) -> [DomainSnapshot] {
        throw .unsupported("snapshots")
    }

    public func snapshotXML(_ name: String, of ref: DomainRef) async throws(BackendError) -> String {
        throw .unsupported("snapshot XML")
    }
}
