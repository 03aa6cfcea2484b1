import BrokerAPI
import BrokerCore

/// The merged namespace: every backend's VMs as one list, a VM reachable through several
/// backends (same UUID, or same BIOS GUID) shown once with all its routes. Pure logic.
public struct Namespace: Sendable {
    /// One backend's answer.
    public struct Source: Sendable {
        /// The backend's name.
        public var backend: String
        /// How it reaches its VMs.
        public var routeKind: RouteKind
        /// Its VMs.
        public var domains: [Domain]
        /// Whether these are the last known VMs of a backend that is not answering: they keep
        /// the names they give, but never a state.
        public var isLastKnown: Bool

        /// Creates a source.
        public init(backend: String, routeKind: RouteKind, domains: [Domain], isLastKnown: Bool = false) {
            self.backend = backend
            self.routeKind = routeKind
            self.domains = domains
            self.isLastKnown = isLastKnown
        }
    }

    /// One way to reach a VM: the backend and the VM as that backend sees it.
    public struct Route: Sendable, Equatable {
        /// The backend's name.
        public var backend: String
        /// The VM as this backend reports it.
        public var domain: Domain
    }

    /// One federated VM.
    public struct Entry: Sendable {
        /// What clients see.
        public var record: DomainRecord
        /// Every route, the preferred first.
        public var routes: [Route]
    }

    /// The entries, in display order.
    public private(set) var entries: [Entry] = []

    /// Merges the sources, given in configuration order. A VM seen both live and in a
    /// last-known source is named as if every backend answered (the down route is as active as
    /// the live one) and shows what the live route says; with `answeringOnly`, a VM only
    /// last-known sources have is left out.
    public init(sources: [Source], prefer: RouteKind, answeringOnly: Bool = false) {
        typealias Member = (route: Route, kind: RouteKind, order: Int, lastKnown: Bool)
        let total = sources.reduce(0) { $0 + $1.domains.count }
        // Most VMs have one route: a group is its first member, and only the few VMs seen
        // through several backends keep a list of the others.
        var groups: [Member] = []
        var further: [Int: [Member]] = [:]
        groups.reserveCapacity(total)
        // Identity keys, UUID and BIOS GUID, each in its own table (no key strings to build).
        var byUUID: [String: Int] = [:], byBios: [String: Int] = [:]
        byUUID.reserveCapacity(total)
        for (order, source) in sources.enumerated() {
            for domain in source.domains {
                let member = (route: Route(backend: source.backend, domain: domain), kind: source.routeKind, order: order,
                              lastKnown: source.isLastKnown)
                let uuid = domain.uuid.isEmpty ? nil : domain.uuid
                let found = uuid.flatMap { byUUID[$0] } ?? domain.biosGuid.flatMap { byBios[$0] }
                // Never merge two VMs of one backend: a backend's own list has unique identities.
                let index: Int
                if let found, groups[found].route.backend != source.backend,
                   !(further[found]?.contains { $0.route.backend == source.backend } ?? false) {
                    further[found, default: []].append(member)
                    index = found
                } else {
                    groups.append(member)
                    index = groups.count - 1
                }
                if let uuid, byUUID[uuid] == nil { byUUID[uuid] = index }
                if let bios = domain.biosGuid, byBios[bios] == nil { byBios[bios] = index }
            }
        }
        // Each entry goes with the backend of its first route, in configuration order; virsh's
        // order within each: running ones by id, then the inactive by name.
        var merged: [Entry] = [], orders: [Int] = []
        merged.reserveCapacity(total)
        orders.reserveCapacity(total)
        for (index, first) in groups.enumerated() {
            guard let others = further[index] else {
                if answeringOnly && first.lastKnown { continue }
                let record = DomainRecord(first.route.domain, backend: first.route.backend, routes: [first.route.backend])
                merged.append(Entry(record: record, routes: [first.route]))
                orders.append(first.order)
                continue
            }
            let group = [first] + others
            let live = group.first { !$0.lastKnown }
            if answeringOnly && live == nil { continue }
            // A last-known route is as active as the live ones say the VM is.
            let liveActive = group.contains { !$0.lastKnown && $0.route.domain.state.isActive }
            func active(_ member: Member) -> Bool {
                member.lastKnown && live != nil ? liveActive : member.route.domain.state.isActive
            }
            // The route shown first: where the VM is active, then the preferred kind, then config order.
            let sorted = group.sorted { a, b in
                if active(a) != active(b) { return active(a) }
                if (a.kind == prefer) != (b.kind == prefer) { return a.kind == prefer }
                return a.order < b.order
            }
            let primary = sorted[0]
            var record = DomainRecord(primary.route.domain, backend: primary.route.backend, routes: sorted.map(\.route.backend))
            if primary.lastKnown, let answering = sorted.first(where: { !$0.lastKnown }) {
                // The name the operator knows, the facts the answering route gives.
                let name = record.name
                record = DomainRecord(answering.route.domain, backend: answering.route.backend, routes: record.routes)
                record.name = name
                record.backend = primary.route.backend
            }
            merged.append(Entry(record: record, routes: sorted.map(\.route)))
            orders.append(primary.order)
        }
        // The order is found on indices, and the entries moved only when it is not already theirs.
        let ids = merged.map(\.record.id)
        let order = merged.withUnsafeBufferPointer { merged in
            Array(merged.indices).sorted { a, b in
                if orders[a] != orders[b] { return orders[a] < orders[b] }
                switch (ids[a], ids[b]) {
                case let (x?, y?): return x < y
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return merged[a].record.name < merged[b].record.name
                }
            }
        }
        entries = order.elementsEqual(merged.indices) ? merged : order.map { merged[$0] }
    }

    /// Finds one VM by `backend/name` (through any of its routes), UUID, or a bare name that
    /// is unambiguous; an ambiguous name is an error listing the candidates.
    public func resolve(_ argument: String) throws(BackendError) -> Entry {
        let lowered = argument.lowercased()
        if let match = entries.first(where: { $0.record.uuid == lowered }) { return match }
        if let slash = argument.firstIndex(of: "/") {
            let backend = String(argument[..<slash])
            let name = String(argument[argument.index(after: slash)...])
            if var match = entries.first(where: { $0.routes.contains { $0.backend == backend && $0.domain.name == name } }) {
                // The route the user named is the one tried first.
                match.routes = match.routes.filter { $0.backend == backend } + match.routes.filter { $0.backend != backend }
                return match
            }
        }
        let candidates = entries.filter { $0.routes.contains { $0.domain.name == argument } }
        switch candidates.count {
        case 1: return candidates[0]
        case 0: throw BackendError(.notFound, "domain not found: \(argument)")
        default:
            let names = candidates.map(\.record.name).joined(separator: ", ")
            throw BackendError(.ambiguous, "domain name '\(argument)' is ambiguous; candidates: \(names)")
        }
    }
}
