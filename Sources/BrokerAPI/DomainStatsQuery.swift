/// Which VMs `domains.stats` reports on: the listing filter's members, or named VMs
/// (`domains`: `backend/name`, UUID or unambiguous bare name; an unknown one is an error).
/// Figures come from the inventory cache where a backend's are at most `max_age_ms` old
/// (default 10 s: the monitors refresh every 5 s), else from the backend live.
public struct DomainStatsQuery: Sendable, Equatable, Encodable {
    /// The default age of cached figures an answer accepts, in milliseconds.
    public static let defaultMaxAgeMs = 10_000

    /// Which VMs, when `domains` is nil.
    public var filter: DomainFilter
    /// The VMs by name, in this order.
    public var domains: [String]?

    enum CodingKeys: String, CodingKey {
        case all, backend, state, name, domains
        case maxAgeMs = "max_age_ms"
    }

    /// Creates a query.
    public init(filter: DomainFilter = DomainFilter(), domains: [String]? = nil) {
        self.filter = filter
        self.domains = domains
    }

    /// Encodes the members `domains.stats` takes (not the filter's `detail`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(filter.all, forKey: .all)
        try container.encodeIfPresent(filter.backend, forKey: .backend)
        try container.encodeIfPresent(filter.state, forKey: .state)
        try container.encodeIfPresent(filter.name, forKey: .name)
        try container.encodeIfPresent(filter.maxAgeMs, forKey: .maxAgeMs)
        try container.encodeIfPresent(domains, forKey: .domains)
    }
}
