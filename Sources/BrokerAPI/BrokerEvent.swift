/// What a subscription delivers, in order.
public enum BrokerEvent: Sendable, Equatable {
    /// A VM's lifecycle change.
    case domain(DomainEventRecord)
    /// A backend went down or came back.
    case backend(BackendEventRecord)
    /// A job's progress or end.
    case job(JobRecord)
    /// The subscriber fell behind and this many events were dropped at this point.
    case lost(Int)
}
