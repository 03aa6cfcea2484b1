import BrokerCore

/// Several trails kept as one (the state database and the JSON-lines export): a record is
/// kept by each in turn, and the first that cannot keep it fails the whole record.
public struct AuditTrails: AuditTrail {
    private let trails: [any AuditTrail]

    /// The trails, in the order each record goes to them.
    public init(_ trails: [any AuditTrail]) {
        self.trails = trails
    }

    public func record(_ entry: AuditEntry) async throws(BackendError) {
        for trail in trails { try await trail.record(entry) }
    }
}
