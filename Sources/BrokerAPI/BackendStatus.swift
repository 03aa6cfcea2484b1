import BrokerCore

/// A configured backend, its connection state and its parsed URI (no secrets).
public struct BackendStatus: Sendable, Equatable, Codable {
    /// Whether the broker holds a working session.
    public enum Status: String, Sendable, Codable {
        case up, down, connecting
    }

    /// The backend's name.
    public var name: String
    /// The plugin serving it.
    public var plugin: String
    /// Its state; nil in `config check`, which connects to nothing.
    public var status: Status?
    /// The last error, when down.
    public var error: String?
    /// The canonical URI.
    public var uri: String
    /// The whole scheme (`qemu+ssh`).
    public var scheme: String
    /// The transport after `+`, if any.
    public var transport: String?
    /// The URI's user.
    public var user: String?
    /// The URI's host.
    public var host: String?
    /// The URI's port (0 when absent).
    public var port: Int
    /// The URI's path.
    public var path: String?
    /// The query parameters, in order, as `[name, value]` pairs (secret-looking ones left out).
    public var params: [[String]]

    /// Creates a status record.
    public init(name: String, plugin: String, status: Status?, error: String?, uri: BackendURI) {
        self.name = name
        self.plugin = plugin
        self.status = status
        self.error = error
        self.uri = uri.redacted
        scheme = uri.scheme
        transport = uri.transport
        user = uri.user
        host = uri.host
        port = uri.port
        path = uri.path
        params = uri.redactedParams.map { [$0.name, $0.value] }
    }

    enum CodingKeys: String, CodingKey {
        case name, plugin, status, error, uri, scheme, transport, user, host, port, path, params
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(plugin, forKey: .plugin)
        // `config check` connects to nothing: it has no status to report at all.
        if let status { try container.encode(status, forKey: .status) }
        if status != nil { try container.encode(error, forKey: .error) }
        try container.encode(uri, forKey: .uri)
        try container.encode(scheme, forKey: .scheme)
        try container.encode(transport, forKey: .transport)
        try container.encode(user, forKey: .user)
        try container.encode(host, forKey: .host)
        try container.encode(port, forKey: .port)
        try container.encode(path, forKey: .path)
        try container.encode(params, forKey: .params)
    }
}
