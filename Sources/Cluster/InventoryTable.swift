import BrokerCore
import Foundation
import PostgresNIO
import StateStore

/// What each node last read of the backends it holds, in the store, for the other nodes to
/// list. A holder writes a backend's row only under its current lease (the generation is
/// checked in the same statement, so a former holder's late write is dropped); an unchanged
/// listing only moves `refreshed_at`.
struct InventoryTable: Sendable {
    let store: PostgresStore

    /// A row's header: enough to know whether a node's copy is current.
    struct Header: Sendable {
        var backend: String
        var node: String
        var routeKind: String
        var version: Int64
        var ageMilliseconds: Int
    }

    /// Writes `domains` (JSON) of `backend` as read at `at`, when `node` holds it under
    /// `generation`; with `json` nil only the time moves. False when the lease did not allow it,
    /// or a later read is there already (two publications of one node crossed on the way).
    func publish(_ backend: String, node: String, generation: Int64, routeKind: String, json: String?, at: Date) async throws(BackendError) -> Bool {
        try await store.store("publish the inventory of \(backend)") { [store] in
            let rows: PostgresRowSequence
            if let json {
                rows = try await store.client.query("""
                    INSERT INTO virtfed_inventory (backend, node, generation, route_kind, version, refreshed_at, domains)
                    SELECT \(backend), \(node), \(generation), \(routeKind), 1, \(at), \(json)::jsonb
                    WHERE EXISTS (SELECT 1 FROM virtfed_lease WHERE backend = \(backend) AND node = \(node) AND generation = \(generation) AND expires_at > now())
                    ON CONFLICT (backend) DO UPDATE SET node = excluded.node, generation = excluded.generation, route_kind = excluded.route_kind,
                        version = virtfed_inventory.version + 1, refreshed_at = excluded.refreshed_at, domains = excluded.domains
                    WHERE virtfed_inventory.generation <> excluded.generation OR virtfed_inventory.refreshed_at <= excluded.refreshed_at
                    RETURNING backend
                    """, logger: store.logger)
            } else {
                rows = try await store.client.query("""
                    UPDATE virtfed_inventory SET refreshed_at = \(at) WHERE backend = \(backend) AND node = \(node) AND generation = \(generation)
                      AND refreshed_at <= \(at)
                      AND EXISTS (SELECT 1 FROM virtfed_lease WHERE backend = \(backend) AND node = \(node) AND generation = \(generation) AND expires_at > now())
                    RETURNING backend
                    """, logger: store.logger)
            }
            var written = false
            for try await _ in rows.decode(String.self) { written = true }
            return written
        }
    }

    /// Every row's header.
    func headers() async throws(BackendError) -> [Header] {
        try await store.store("read the inventory") { [store] in
            var headers: [Header] = []
            let rows = try await store.client.query("""
                SELECT backend, node, route_kind, version, (EXTRACT(EPOCH FROM now() - refreshed_at) * 1000)::bigint FROM virtfed_inventory
                """, logger: store.logger)
            for try await (backend, node, routeKind, version, age) in rows.decode((String, String, String, Int64, Int).self) {
                headers.append(Header(backend: backend, node: node, routeKind: routeKind, version: version, ageMilliseconds: age))
            }
            return headers
        }
    }

    /// The VMs of `backends`, with the version they are at.
    func domains(of backends: [String]) async throws(BackendError) -> [String: (version: Int64, domains: [Domain])] {
        guard !backends.isEmpty else { return [:] }
        let rows = try await store.store("read the inventory") { [store] in
            var found: [String: (version: Int64, json: String)] = [:]
            let rows = try await store.client.query("""
                SELECT backend, version, domains::text FROM virtfed_inventory WHERE backend = ANY(\(backends)::text[])
                """, logger: store.logger)
            for try await (backend, version, json) in rows.decode((String, Int64, String).self) { found[backend] = (version, json) }
            return found
        }
        return await InventoryCoding.decode(rows)
    }
}
