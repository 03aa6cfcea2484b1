/// The federation's state vocabulary. Every plugin maps its backend's raw state onto these
/// tokens in one file of its own, and keeps the raw value beside it (`Domain.backendState`).
/// Paused and saved are never folded into shutoff.
public enum DomainState: String, Sendable, Codable, CaseIterable {
    case running
    case blocked
    case paused
    case shuttingDown = "shutting_down"
    case shutoff
    case crashed
    case pmsuspended
    case saved
    case starting
    case stopping
    case unknown

    /// Whether the VM holds a running (or suspended-in-memory) instance: it has an id.
    public var isActive: Bool {
        switch self {
        case .running, .blocked, .paused, .shuttingDown, .crashed, .pmsuspended, .stopping: true
        case .shutoff, .saved, .starting, .unknown: false
        }
    }

    /// The word virsh prints for this state (`virsh list`, `domstate`), and the federation's
    /// own words where virsh has none (`saved`, `starting`, `stopping`).
    public var virshWord: String {
        switch self {
        case .running: "running"
        case .blocked: "idle"
        case .paused: "paused"
        case .shuttingDown: "in shutdown"
        case .shutoff: "shut off"
        case .crashed: "crashed"
        case .pmsuspended: "pmsuspended"
        case .saved: "saved"
        case .starting: "starting"
        case .stopping: "stopping"
        case .unknown: "no state"
        }
    }

    /// Parses a token (`shutoff`) or a virsh word (`shut off`), case-insensitively.
    public init?(token: String) {
        let lowered = token.lowercased()
        if let state = DomainState(rawValue: lowered) {
            self = state
        } else if let state = DomainState.allCases.first(where: { $0.virshWord == lowered }) {
            self = state
        } else if lowered == "shut-off" || lowered == "off" {
            self = .shutoff
        } else {
            return nil
        }
    }
}
