import BrokerCore

/// Which VMs a listing returns (`list [--all] [--backend B] [--state S] [--name GLOB]`,
/// JSON-RPC `domains.list`).
public struct DomainFilter: Sendable, Hashable, Codable {
    /// Include inactive VMs (virsh's `--all`); without it, only active ones.
    public var all: Bool
    /// Only VMs reachable through this backend.
    public var backend: String?
    /// Only VMs in this state.
    public var state: DomainState?
    /// Only VMs whose federated or own name matches this shell glob.
    public var name: String?

    /// How much each VM's record holds (default: everything).
    public var detail: ListingDetail
    /// Answer from the inventory cache where a backend's data is at most this old
    /// (milliseconds); nil: ask every backend live.
    public var maxAgeMs: Int?

    /// Creates a filter.
    public init(all: Bool = false, backend: String? = nil, state: DomainState? = nil, name: String? = nil, detail: ListingDetail = .full, maxAgeMs: Int? = nil) {
        self.maxAgeMs = maxAgeMs
        self.all = all
        self.detail = detail
        self.backend = backend
        self.state = state
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case all, backend, state, name, detail
        case maxAgeMs = "max_age_ms"
    }

    /// Decodes params where every member is optional (`{}` is the default listing).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        all = try container.decodeIfPresent(Bool.self, forKey: .all) ?? false
        backend = try container.decodeIfPresent(String.self, forKey: .backend)
        state = try container.decodeIfPresent(DomainState.self, forKey: .state)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        detail = try container.decodeIfPresent(ListingDetail.self, forKey: .detail) ?? .full
        maxAgeMs = try container.decodeIfPresent(Int.self, forKey: .maxAgeMs)
        if let maxAgeMs, maxAgeMs < 0 {
            throw DecodingError.dataCorruptedError(forKey: .maxAgeMs, in: container, debugDescription: "max_age_ms must not be negative")
        }
    }
}
