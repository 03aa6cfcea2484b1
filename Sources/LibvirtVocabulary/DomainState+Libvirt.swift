import BrokerCore

extension DomainState {
    /// libvirt's `virDomainState` number for this state: saved is shut off (with reason
    /// `saved`), stopping is shutting down, starting is "no state" (nothing else fits).
    public var libvirtState: Int32 {
        switch self {
        case .unknown, .starting: 0
        case .running: 1
        case .blocked: 2
        case .paused: 3
        case .shuttingDown, .stopping: 4
        case .shutoff, .saved: 5
        case .crashed: 6
        case .pmsuspended: 7
        }
    }

    /// The reason words of the libvirt state this state stands for, in the order of libvirt's
    /// reason enum for it (`virDomainRunningReason` …; a word's index is its number), as
    /// `virsh domstate --reason` prints them. `saved` is libvirt's shut off with reason `saved`;
    /// states libvirt does not have get only `unknown`.
    public var libvirtReasons: [String] {
        switch self {
        case .running:
            ["unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
             "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy", "post-copy failed"]
        case .paused:
            ["unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
             "from snapshot", "shutting down", "creating snapshot", "starting up", "post-copy",
             "post-copy failed", "api error"]
        case .shuttingDown, .stopping:
            ["unknown", "user"]
        case .shutoff, .saved:
            ["unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot", "daemon"]
        case .crashed:
            ["unknown", "panicked"]
        case .blocked, .pmsuspended, .starting, .unknown:
            ["unknown"]
        }
    }
}
