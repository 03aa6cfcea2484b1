/// Per-backend settings from the configuration that are neither the URI nor secrets.
public struct BackendOptions: Sendable, Equatable {
    /// A CA bundle to verify the backend's TLS certificate against, instead of the system's.
    public var caFile: String?

    /// Creates options.
    public init(caFile: String? = nil) {
        self.caFile = caFile
    }
}
