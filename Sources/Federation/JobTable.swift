import BrokerAPI
import BrokerCore
import Foundation

/// The jobs the daemon follows: every change, running or ended, newest last, with the ended
/// ones bounded to `retention` (the oldest go first). Each change of a job is handed to
/// `published`, which the service turns into an `event.job`.
actor JobTable {
    private var records: [String: JobRecord] = [:]
    private var order: [String] = []
    private let retention: Int
    /// Jobs kept that have ended (so that trimming never scans the table).
    private var ended = 0
    private var failures: [String: Int] = [:]
    private let published: @Sendable (JobRecord) -> Void

    init(retention: Int, published: @escaping @Sendable (JobRecord) -> Void) {
        self.retention = max(1, retention)
        self.published = published
    }

    /// A new job for a change about to be sent.
    func open(domain: String, action: DomainOperation) -> JobRecord {
        let record = JobRecord(
            id: String(UUID().uuidString.prefix(8)).lowercased(), domain: domain, route: nil, action: action, state: .running,
            percent: 0, message: nil, started: AuditLog.timestamp(), finished: nil, backendJobID: nil, resultingState: nil, code: nil)
        records[record.id] = record
        order.append(record.id)
        published(record)
        return record
    }

    /// Changes a job; an ended job is never changed again. Publishes the change, if any.
    @discardableResult
    func update(_ id: String, _ change: (inout JobRecord) -> Void) -> JobRecord? {
        guard var record = records[id], !record.state.isFinal else { return records[id] }
        let before = record
        change(&record)
        guard record != before else { return record }
        if record.state.isFinal {
            record.finished = AuditLog.timestamp()
            if record.state == .completed { record.percent = 100 }
            if record.state == .failed { failures[record.route ?? "", default: 0] += 1 }
            ended += 1
        }
        records[id] = record
        published(record)
        if record.state.isFinal { trim() }
        return record
    }

    /// Takes back a job kept from before a restart, without announcing it.
    func restore(_ record: JobRecord) {
        guard records[record.id] == nil else { return }
        order.append(record.id)
        records[record.id] = record
        if record.state.isFinal { ended += 1 }
    }

    /// One job.
    func get(_ id: String) -> JobRecord? { records[id] }

    /// The running jobs, or with `all` every job kept, oldest first.
    func list(all: Bool) -> [JobRecord] {
        order.compactMap { records[$0] }.filter { all || !$0.state.isFinal }
    }

    /// Running jobs per route (for `/metrics`).
    func runningByRoute() -> [String: Int] {
        var counts: [String: Int] = [:]
        for record in records.values where !record.state.isFinal { counts[record.route ?? "", default: 0] += 1 }
        return counts
    }

    /// Jobs that ended failed, per route, since the daemon started (for `/metrics`).
    func failuresByRoute() -> [String: Int] { failures }

    /// Waits until the job ends or `limit` passes (nil: until it ends); its record then.
    func wait(_ id: String, upTo limit: Duration?) async -> JobRecord? {
        let deadline = limit.map { ContinuousClock.now + $0 }
        while let record = records[id], !record.state.isFinal {
            if let deadline, ContinuousClock.now >= deadline { return record }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return records[id]
    }

    /// Drops the oldest ended jobs beyond `retention` (running ones stay, wherever they are).
    private func trim() {
        var index = 0
        while ended > retention && index < order.count {
            let id = order[index]
            if records[id]?.state.isFinal == true {
                records[id] = nil
                order.remove(at: index)
                ended -= 1
            } else {
                index += 1
            }
        }
    }
}
