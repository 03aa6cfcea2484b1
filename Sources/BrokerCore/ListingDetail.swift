/// How much a listing asks of each backend. A table needs identity and state only, which
/// backends with bulk state calls answer in one or two round trips; the full record adds
/// vCPUs, memory, CPU time and flags, which some drivers only give per VM; the load adds each
/// VM's devices and their counters (`Domain.stats`), which the daemon's monitors read for
/// `/metrics`, `domains.stats` and the facade's statistics.
public enum ListingDetail: String, Sendable, Codable, Comparable {
    /// Name, UUID, id, state (and what the state needs, e.g. libvirt's managed-save flag).
    case states
    /// Everything `Domain` holds but `stats`.
    case full
    /// Everything, `stats` included.
    case load

    public static func < (left: ListingDetail, right: ListingDetail) -> Bool {
        let order: [ListingDetail] = [.states, .full, .load]
        return order.firstIndex(of: left)! < order.firstIndex(of: right)!
    }
}
