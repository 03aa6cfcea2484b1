import BrokerCore
import Federation
import Foundation
import Logging
import PostgresNIO

/// The audit trail in the cluster's PostgreSQL store: one row per record, with the node that
/// wrote it, in the order the store received them — one trail for every node. As with SQLite,
/// the record of a change about to be sent is committed before `record` returns (a store that
/// cannot take it refuses the change); the others are written in batches within 20 ms.
public final class PostgresAuditTrail: AuditTrail {
    private let store: PostgresStore
    private let node: String
    private let writer: BatchWriter<AuditEntry>

    /// A trail in `store`, written as `node`.
    public init(_ store: PostgresStore, node: String, logger: Logger) {
        self.store = store
        self.node = node
        writer = BatchWriter(window: .milliseconds(20)) { [store] entries throws(BackendError) in
            try await Self.insert(entries, node: node, into: store)
        } dropped: { entries, error in
            logger.error("audit trail: records not kept", metadata: ["count": "\(entries.count)", "error": "\(error.message)"])
        }
    }

    public func record(_ entry: AuditEntry) async throws(BackendError) {
        if entry.result == "sending" {
            try await Self.insert([entry], node: node, into: store)
        } else {
            writer.append(entry)
        }
    }

    /// Writes the queued records now (at shutdown).
    public func flush() async {
        await writer.flush()
    }

    private static func insert(_ entries: [AuditEntry], node: String, into store: PostgresStore) async throws(BackendError) {
        let encoder = JSONEncoder()
        let rows = entries.compactMap { (try? encoder.encode($0)).map { String(decoding: $0, as: UTF8.self) } }
        try await store.store("record \(entries.count) audit record(s)") {
            // One statement: the rows keep their order (unnest's ordinality).
            try await store.client.query("""
                INSERT INTO virtfed_audit (node, entry)
                SELECT \(node), entry::jsonb FROM unnest(\(rows)::text[]) WITH ORDINALITY AS t(entry, position) ORDER BY position
                """, logger: store.logger)
        }
    }
}
