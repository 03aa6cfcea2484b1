import BrokerCore

extension DomainState {
    /// The value of `virtfed_domain_state_code`: libvirt's `virDomainState` numbers (0 no state,
    /// 1 running, 2 blocked, 3 paused, 4 shutdown, 5 shutoff, 6 crashed, 7 pmsuspended), extended
    /// past libvirt's range with the federation's own states: 8 saved, 9 starting, 10 stopping.
    public var stateCode: Int {
        switch self {
        case .unknown: 0
        case .running: 1
        case .blocked: 2
        case .paused: 3
        case .shuttingDown: 4
        case .shutoff: 5
        case .crashed: 6
        case .pmsuspended: 7
        case .saved: 8
        case .starting: 9
        case .stopping: 10
        }
    }

    /// Whether `virtfed_domain_running` is 1: running, or blocked (virsh's "idle", a running VM
    /// waiting on a resource). Paused, saved and the transitions count as not running.
    public var isRunning: Bool { self == .running || self == .blocked }
}
