/// Where a VM is to move.
public struct MigrationTarget: Sendable, Equatable, Codable {
    /// The destination backend's name.
    public var backend: String
    /// The destination backend's URI (libvirt: what the source host dials).
    public var uri: BackendURI
    /// The destination host: for a backend with several hosts (SCVMM) the one named; for a
    /// one-host backend its URI's host.
    public var host: String?
    /// Move it while it runs, where the backend can.
    public var live: Bool

    /// Creates a target.
    public init(backend: String, uri: BackendURI, host: String?, live: Bool = true) {
        self.backend = backend
        self.uri = uri
        self.host = host
        self.live = live
    }
}
