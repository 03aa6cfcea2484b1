import BrokerCore
import Foundation
import PostgresNIO
import StateStore

/// Changes handed between nodes through the store. The asking node queues one and notifies
/// the holder (`NOTIFY virtfed_command`); the holder takes it — one statement, only while it
/// holds the backend's lease, so a command is taken once or never — runs it and writes the
/// answer. A command still queued when the asking node gives up is expired in one statement,
/// which then proves it was never taken.
struct CommandTable: Sendable {
    let store: PostgresStore

    /// The channel holders listen on; the payload is the target node's name.
    static let channel = "virtfed_command"

    /// Where a command stands.
    enum Standing: Sendable {
        case queued, taken, expired
        case answered(String)
    }

    func enqueue(id: String, backend: String, target: String, origin: String, request: String) async throws(BackendError) {
        try await store.store("hand the change to \(target)") { [store] in
            _ = try await store.client.query("""
                INSERT INTO virtfed_command (id, backend, target_node, origin_node, request) VALUES (\(id), \(backend), \(target), \(origin), \(request)::jsonb)
                """, logger: store.logger)
            _ = try await store.client.query("SELECT pg_notify(\(Self.channel), \(target))", logger: store.logger)
        }
    }

    /// The commands queued for `node` on backends it holds now, taken.
    func take(node: String) async throws(BackendError) -> [(id: String, request: String)] {
        try await store.store("take the changes handed to \(node)") { [store] in
            var taken: [(String, String)] = []
            let rows = try await store.client.query("""
                UPDATE virtfed_command c SET state = 'taken', taken_at = now()
                WHERE c.target_node = \(node) AND c.state = 'queued'
                  AND EXISTS (SELECT 1 FROM virtfed_lease l WHERE l.backend = c.backend AND l.node = \(node) AND l.expires_at > now())
                RETURNING c.id, c.request::text
                """, logger: store.logger)
            for try await (id, request) in rows.decode((String, String).self) { taken.append((id, request)) }
            return taken
        }
    }

    /// Writes the answer (JSON) of a taken command.
    func answer(_ id: String, result: String) async throws(BackendError) {
        try await store.store("answer a handed change") { [store] in
            _ = try await store.client.query("""
                UPDATE virtfed_command SET state = 'answered', answered_at = now(), result = \(result)::jsonb WHERE id = \(id) AND state = 'taken'
                """, logger: store.logger)
        }
    }

    func standing(_ id: String) async throws(BackendError) -> Standing {
        try await store.store("read a handed change") { [store] in
            let rows = try await store.client.query("SELECT state, result::text FROM virtfed_command WHERE id = \(id)", logger: store.logger)
            for try await (state, result) in rows.decode((String, String?).self) {
                switch state {
                case "queued": return .queued
                case "taken": return .taken
                case "answered": return .answered(result ?? "{}")
                default: return .expired
                }
            }
            return .expired
        }
    }

    /// Deletes the commands settled (answered or expired) more than an hour ago: their askers
    /// read the answer within moments. Taken ones stay, however long their jobs run.
    func trim() async throws(BackendError) {
        try await store.store("trim the handed changes") { [store] in
            _ = try await store.client.query("""
                DELETE FROM virtfed_command WHERE state IN ('answered', 'expired') AND created_at < now() - interval '1 hour'
                """, logger: store.logger)
        }
    }

    /// Expires a command nobody took; true when it was still queued (so it never will be).
    func expire(_ id: String) async throws(BackendError) -> Bool {
        try await store.store("expire a handed change") { [store] in
            var expired = false
            let rows = try await store.client.query("""
                UPDATE virtfed_command SET state = 'expired' WHERE id = \(id) AND state = 'queued' RETURNING id
                """, logger: store.logger)
            for try await _ in rows.decode(String.self) { expired = true }
            return expired
        }
    }
}
