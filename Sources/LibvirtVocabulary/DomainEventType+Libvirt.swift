import BrokerCore

extension DomainEventType {
    /// The event types in libvirt's `virDomainEventType` order (a type's index is its number);
    /// `saved` is libvirt's `stopped` with the detail `saved`.
    private static let libvirtOrder: [DomainEventType] = [
        .defined, .undefined, .started, .suspended, .resumed, .stopped, .shutdown, .pmsuspended, .crashed,
    ]

    /// libvirt's `virDomainEventType` number for this type.
    public var libvirtNumber: Int32 {
        Int32(Self.libvirtOrder.firstIndex(of: self == .saved ? .stopped : self)!)
    }

    /// The type libvirt's number stands for; nil for a number it does not have.
    public init?(libvirtNumber: Int32) {
        guard Self.libvirtOrder.indices.contains(Int(libvirtNumber)) else { return nil }
        self = Self.libvirtOrder[Int(libvirtNumber)]
    }

    /// The detail words of this type, in the order of libvirt's detail enum for it
    /// (`virDomainEventStartedDetailType` …): a word's index is its number. These are the words
    /// `virsh event` prints, and the federation's `detail`.
    public var libvirtDetails: [String] {
        switch self {
        case .defined: ["added", "updated", "renamed", "snapshot"]
        case .undefined: ["removed", "renamed"]
        case .started: ["booted", "migrated", "restored", "snapshot", "wakeup"]
        case .suspended: ["paused", "migrated", "ioerror", "watchdog", "restored", "snapshot", "api error", "post-copy", "post-copy-error"]
        case .resumed: ["unpaused", "migrated", "snapshot", "post-copy", "post-copy-error"]
        case .stopped, .saved: ["shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "snapshot"]
        case .shutdown: ["finished", "guest", "host"]
        case .pmsuspended: ["memory", "disk"]
        case .crashed: ["panicked", "crashloaded"]
        }
    }
}
