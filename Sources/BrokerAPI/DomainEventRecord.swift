import BrokerCore

/// A VM's lifecycle change as subscribers receive it (JSON-RPC notification `event.domain`,
/// `virtfed event --json`).
public struct DomainEventRecord: Sendable, Equatable, Codable {
    /// When it was seen, ISO 8601 with milliseconds, UTC.
    public var time: String
    /// The backend that reported it.
    public var backend: String
    /// The VM's federated name.
    public var domain: String
    /// The VM's UUID.
    public var uuid: String
    /// What happened.
    public var type: DomainEventType
    /// The backend's finer word, where it has one.
    public var detail: String?

    /// Creates an event record.
    public init(time: String, backend: String, domain: String, uuid: String, type: DomainEventType, detail: String?) {
        self.time = time
        self.backend = backend
        self.domain = domain
        self.uuid = uuid
        self.type = type
        self.detail = detail
    }
}
