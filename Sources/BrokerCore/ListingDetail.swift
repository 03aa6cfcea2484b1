/// How much a listing asks of each backend. A table needs identity and state only, which
/// backends with bulk state calls answer in one or two round trips; the full record adds
/// vCPUs, memory, CPU time and flags, which some drivers only give per VM.
public enum ListingDetail: String, Sendable, Codable {
    /// Name, UUID, id, state (and what the state needs, e.g. libvirt's managed-save flag).
    case states
    /// Everything `Domain` holds.
    case full
}
