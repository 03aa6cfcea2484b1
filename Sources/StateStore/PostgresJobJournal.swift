import BrokerAPI
import BrokerCore
import Federation
import Foundation
import Logging
import PostgresNIO

/// The job history in the cluster's PostgreSQL store: one row per job (its latest record, as
/// JSON, with the node that runs it), written in batches within 20 ms, off the caller's path.
/// A node loads only its own jobs at start: the others' are theirs to follow. Ended jobs
/// beyond `retention` (across the cluster) are trimmed once a tenth of it has ended.
public final class PostgresJobJournal: JobJournal {
    private let store: PostgresStore
    private let node: String
    private let writer: BatchWriter<JobRecord>

    /// A journal in `store`, written as `node`, keeping `retention` ended jobs.
    public init(_ store: PostgresStore, node: String, retention: Int, logger: Logger) {
        self.store = store
        self.node = node
        writer = .journal(retention: retention, logger: logger) { [store] jobs, trimTo throws(BackendError) in
            try await Self.write(jobs, node: node, trimTo: trimTo, in: store)
        }
    }

    public func save(_ job: JobRecord) {
        writer.append(job)
    }

    /// Writes the queued changes now (at shutdown).
    public func flush() async {
        await writer.flush()
    }

    public func load() async throws(BackendError) -> [JobRecord] {
        try await store.store("read the job history") { [store, node] in
            var jobs: [JobRecord] = []
            let rows = try await store.client.query("SELECT record::text FROM virtfed_job WHERE node = \(node) ORDER BY sequence", logger: store.logger)
            for try await text in rows.decode(String.self) {
                if let job = try? JSONDecoder().decode(JobRecord.self, from: Data(text.utf8)) { jobs.append(job) }
            }
            return jobs
        }
    }

    static func write(_ jobs: [JobRecord], node: String, trimTo retention: Int?, in store: PostgresStore) async throws(BackendError) {
        let encoder = JSONEncoder()
        var ids: [String] = [], states: [String] = [], records: [String] = []
        // The last record of a job in the batch is the one kept.
        var latest: [String: Int] = [:]
        for job in jobs {
            guard let data = try? encoder.encode(job) else { continue }
            if let index = latest[job.id] {
                states[index] = job.state.rawValue
                records[index] = String(decoding: data, as: UTF8.self)
            } else {
                latest[job.id] = ids.count
                ids.append(job.id)
                states.append(job.state.rawValue)
                records.append(String(decoding: data, as: UTF8.self))
            }
        }
        try await store.store("save \(ids.count) job(s)") { [ids, states, records] in
            try await store.client.withTransaction(logger: store.logger) { connection in
                try await connection.query("""
                    INSERT INTO virtfed_job (id, node, state, record)
                    SELECT id, \(node), state, record::jsonb FROM unnest(\(ids)::text[], \(states)::text[], \(records)::text[]) AS t(id, state, record)
                    ON CONFLICT (id) DO UPDATE SET state = excluded.state, record = excluded.record, updated_at = now()
                    """, logger: store.logger)
                if let retention {
                    try await connection.query("""
                        DELETE FROM virtfed_job WHERE state != 'running' AND sequence <
                            (SELECT sequence FROM virtfed_job WHERE state != 'running' ORDER BY sequence DESC LIMIT 1 OFFSET \(retention - 1))
                        """, logger: store.logger)
                }
            }
        }
    }
}
