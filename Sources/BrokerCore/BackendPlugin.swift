import Logging

/// A backend plugin: it declares the URI schemes it owns, its own configuration keys, and
/// opens sessions — the way a libvirt driver registers itself for its URI schemes. Every
/// requirement but `name`, `schemes` and `open` has a default.
public protocol BackendPlugin: Sendable {
    /// The plugin's name (`libvirt`, `hyperv`, `scvmm`).
    static var name: String { get }
    /// The URI driver names it owns (the part before `+`): `qemu`, `test`, `hyperv` …
    static var schemes: Set<String> { get }
    /// How this plugin reaches VMs: directly on their hypervisor, or through a manager.
    static var routeKind: RouteKind { get }
    /// The keys a `[[backends]]` entry of this plugin may carry beyond the common ones
    /// (`name`, `uri`, credentials, timeouts); the configuration loader validates them.
    static var settings: [BackendSetting] { get }

    /// libvirt's domain type (`<domain type='…'>`) for a VM of this plugin whose XML is
    /// synthesized, given its platform; a type libvirt's schema has (`test` when none fits).
    static func libvirtDomainType(platform: String?) -> String

    /// Opens a session with the backend's validated settings. Throws a `BackendError`
    /// (`backend_unavailable`, `auth_failed` …).
    func open(_ uri: BackendURI, credentials: Credentials?, options: BackendOptions, logger: Logger) async throws(BackendError) -> any BackendSession
}

extension BackendPlugin {
    /// Most plugins talk to the hypervisor directly.
    public static var routeKind: RouteKind { .direct }
    /// Most plugins need nothing beyond the URI and credentials.
    public static var settings: [BackendSetting] { [] }
    /// libvirt's test driver type: valid in every schema, claims nothing.
    public static func libvirtDomainType(platform: String?) -> String { "test" }
}

/// Whether a backend reaches VMs on their hypervisor or through a management server.
/// With two routes to one VM, the broker prefers `direct` unless configured otherwise.
public enum RouteKind: String, Sendable, Codable {
    case direct
    case manager
}
