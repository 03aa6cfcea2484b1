import BrokerCore

extension DomainState {
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
