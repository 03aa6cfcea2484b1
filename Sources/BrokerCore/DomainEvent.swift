import Foundation

/// What happened to a VM, in the federation's words (libvirt's lifecycle events, and the
/// same words for changes a poller notices on backends that have no events).
public enum DomainEventType: String, Sendable, Codable, CaseIterable {
    case defined
    case undefined
    case started
    case suspended
    case resumed
    case stopped
    case shutdown
    case saved
    case crashed
    case pmsuspended
}

/// One lifecycle change of one VM, as a backend reports it. Names are the backend's own.
public struct DomainEvent: Sendable, Equatable {
    /// When the change was seen.
    public var time: Date
    /// The VM's identity (lowercased UUID).
    public var uuid: String
    /// The backend's name for the VM.
    public var name: String
    /// What happened.
    public var type: DomainEventType
    /// The backend's finer word where it has one (libvirt's detail: `booted`, `destroyed` …).
    public var detail: String?

    /// Creates an event.
    public init(time: Date = Date(), uuid: String, name: String, type: DomainEventType, detail: String? = nil) {
        self.time = time
        self.uuid = uuid.lowercased()
        self.name = name
        self.type = type
        self.detail = detail
    }
}
