import BrokerAPI
import BrokerCore
import JSONRPC

/// A method's params read once, straight from the request's JSON value: an object (or
/// nothing) with only the members the method knows, each of the type it must have.
struct RPCParams {
    private let members: [String: JSONValue]

    /// The params of `request`; an unknown member is refused, naming the known ones.
    init(_ request: RPCRequest, allowed: Set<String>) throws(RPCError) {
        switch request.params {
        case nil: members = [:]
        case .object(let object)?: members = object
        default: throw .invalidParams("params must be an object")
        }
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalidParams("unknown member '\(unknown)'; known: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// Refuses any params for a method that takes none.
    static func none(_ request: RPCRequest) throws(RPCError) {
        switch request.params {
        case nil: return
        case .object(let members)? where members.isEmpty: return
        case .array(let items)? where items.isEmpty: return
        default: throw .invalidParams("this method takes no params")
        }
    }

    /// A present, non-null member.
    private func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    private static func bad(_ key: String) -> RPCError { .invalidParams("bad value for '\(key)'") }

    func string(_ key: String) throws(RPCError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw Self.bad(key) }
        return text
    }

    func required(_ key: String) throws(RPCError) -> String {
        guard let text = try string(key) else { throw .invalidParams("missing member '\(key)'") }
        return text
    }

    func bool(_ key: String) throws(RPCError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else { throw Self.bad(key) }
        return flag
    }

    func integer(_ key: String) throws(RPCError) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .int(let number) = value else { throw Self.bad(key) }
        return number
    }

    /// A string member that must be one of an enum's raw values.
    func word<Word: RawRepresentable<String>>(_ key: String, as _: Word.Type) throws(RPCError) -> Word? {
        guard let text = try string(key) else { return nil }
        guard let word = Word(rawValue: text) else { throw Self.bad(key) }
        return word
    }

    /// An array of strings, each read by `read`.
    func list<Item>(_ key: String, _ read: (String) -> Item?) throws(RPCError) -> [Item]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw Self.bad(key) }
        var result: [Item] = []
        for item in items {
            guard case .string(let text) = item, let read = read(text) else { throw Self.bad(key) }
            result.append(read)
        }
        return result
    }
}

extension DomainFilter {
    /// `domains.list`'s params; every member optional (`{}` is the default listing).
    init(params: RPCParams) throws(RPCError) {
        let maxAge = try params.integer("max_age_ms")
        if let maxAge, maxAge < 0 { throw .invalidParams("bad value for 'max_age_ms'") }
        // A listing's records carry no load (that is `domains.stats`): full or states.
        if try params.word("detail", as: ListingDetail.self) == .load { throw .invalidParams("bad value for 'detail': full or states") }
        self.init(all: try params.bool("all") ?? false, backend: try params.string("backend"),
                  state: try params.word("state", as: DomainState.self), name: try params.string("name"),
                  detail: try params.word("detail", as: ListingDetail.self) ?? .full, maxAgeMs: maxAge)
    }

    static let members: Set<String> = ["all", "backend", "state", "name", "detail", "max_age_ms"]
}

extension DomainStatsQuery {
    /// `domains.stats`' params: the listing filter's members (no `detail`: figures are the
    /// full record's) and `domains`, VMs by name.
    init(params: RPCParams) throws(RPCError) {
        self.init(filter: try DomainFilter(params: params), domains: try params.list("domains") { $0 })
    }

    static let members: Set<String> = ["all", "backend", "state", "name", "max_age_ms", "domains"]
}

extension EventFilter {
    /// `events.subscribe`'s params; an absent member means all.
    init(params: RPCParams) throws(RPCError) {
        self.init(backends: try params.list("backends") { $0 }, domains: try params.list("domains") { $0 },
                  types: try params.list("types") { DomainEventType(rawValue: $0) }, jobs: try params.bool("jobs") ?? false)
    }

    static let members: Set<String> = ["backends", "domains", "types", "jobs"]
}
