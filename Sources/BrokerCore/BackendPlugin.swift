import Logging

/// A backend plugin: it declares the URI schemes it owns and opens sessions to them, the way
/// a libvirt driver registers itself for its URI schemes.
public protocol BackendPlugin: Sendable {
    /// The plugin's name (`libvirt`, `hyperv`, `scvmm`).
    static var name: String { get }
    /// The URI driver names it owns (the part before `+`): `qemu`, `test`, `hyperv` …
    static var schemes: Set<String> { get }
    /// How this plugin reaches VMs: directly on their hypervisor, or through a manager.
    static var routeKind: RouteKind { get }

    /// Opens a session. Throws a `BackendError` (`backend_unavailable`, `auth_failed` …).
    func open(_ uri: BackendURI, credentials: Credentials?, logger: Logger) async throws(BackendError) -> any BackendSession

    /// Opens a session with the backend's options (a CA file …); by default the options are
    /// not used and this is `open(_:credentials:logger:)`.
    func open(_ uri: BackendURI, credentials: Credentials?, options: BackendOptions, logger: Logger) async throws(BackendError) -> any BackendSession
}

extension BackendPlugin {
    public func open(_ uri: BackendURI, credentials: Credentials?, options: BackendOptions, logger: Logger) async throws(BackendError) -> any BackendSession {
        try await open(uri, credentials: credentials, logger: logger)
    }

    /// Most plugins talk to the hypervisor directly.
    public static var routeKind: RouteKind { .direct }
}

/// Whether a backend reaches VMs on their hypervisor or through a management server.
/// With two routes to one VM, the broker prefers `direct` unless configured otherwise.
public enum RouteKind: String, Sendable, Codable {
    case direct
    case manager
}
