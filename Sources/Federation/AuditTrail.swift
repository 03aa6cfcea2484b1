import BrokerCore

/// Where mutating calls are recorded. The service records every mutating call — refused,
/// failed or done — before its caller is answered.
public protocol AuditTrail: Sendable {
    /// Appends one record durably; throws when it could not be kept.
    func record(_ entry: AuditEntry) async throws(BackendError)
}

/// One audited call.
public struct AuditEntry: Sendable, Encodable {
    public var time: String
    public var peer: PeerProcess?
    public var listener: String
    public var method: String
    public var domain: String?
    public var route: String?
    public var result: String
    public var code: String?
    public var message: String?

    /// Creates an entry.
    public init(time: String, peer: PeerProcess?, listener: String, method: String, domain: String?, route: String?,
                result: String, code: String?, message: String?) {
        self.time = time
        self.peer = peer
        self.listener = listener
        self.method = method
        self.domain = domain
        self.route = route
        self.result = result
        self.code = code
        self.message = message
    }

    /// Every key, `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(time, forKey: .time)
        if let peer {
            var process = container.nestedContainer(keyedBy: PeerKeys.self, forKey: .peer)
            try process.encode(peer.pid, forKey: .pid)
            try process.encode(peer.uid, forKey: .uid)
            try process.encode(peer.gid, forKey: .gid)
        } else {
            try container.encodeNil(forKey: .peer)
        }
        try container.encode(listener, forKey: .listener)
        try container.encode(method, forKey: .method)
        try container.encode(domain, forKey: .domain)
        try container.encode(route, forKey: .route)
        try container.encode(result, forKey: .result)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
    }

    enum CodingKeys: String, CodingKey { case time, peer, listener, method, domain, route, result, code, message }
    enum PeerKeys: String, CodingKey { case pid, uid, gid }
}
