import BrokerCore
import PostgresNIO
import StateStore

/// The cluster's membership and leases in the store. Every time is the store's (`now()`), so
/// the nodes' clocks need not agree; a lease is taken only when it has expired or was released,
/// and each taking raises its generation.
struct LeaseTable: Sendable {
    let store: PostgresStore

    /// A registered node, as the store has it.
    struct NodeRow: Sendable {
        var name: String
        var site: String?
        var heartbeatAgeMilliseconds: Int
        var stopping: Bool
    }

    /// A lease, as the store has it.
    struct LeaseRow: Sendable {
        var backend: String
        var node: String
        var generation: Int64
        var expiresInMilliseconds: Int
    }

    /// Says `node` is alive (and where); `starting` also resets its start time and clears `stopping`.
    /// Forgets the nodes silent for a day that hold no lease (renamed or retired ones), so that
    /// they stop counting as down.
    func forgetRetiredNodes() async throws(BackendError) {
        try await store.store("forget retired nodes") {
            try await store.client.query("""
                DELETE FROM virtfed_node n WHERE n.heartbeat_at < now() - interval '1 day'
                  AND NOT EXISTS (SELECT 1 FROM virtfed_lease l WHERE l.node = n.name)
                """, logger: store.logger)
        }
    }

    func heartbeat(node: String, site: String?, starting: Bool) async throws(BackendError) {
        try await store.store("record the heartbeat of \(node)") {
            if starting {
                try await store.client.query("""
                    INSERT INTO virtfed_node (name, site) VALUES (\(node), \(site))
                    ON CONFLICT (name) DO UPDATE SET site = excluded.site, started_at = now(), heartbeat_at = now(), stopping = false
                    """, logger: store.logger)
            } else {
                try await store.client.query("UPDATE virtfed_node SET heartbeat_at = now() WHERE name = \(node)", logger: store.logger)
            }
        }
    }

    /// Says `node` is leaving: the others stop counting it at once.
    func markStopping(node: String) async throws(BackendError) {
        try await store.store("record that \(node) stops") {
            try await store.client.query("UPDATE virtfed_node SET stopping = true WHERE name = \(node)", logger: store.logger)
        }
    }

    /// Every registered node.
    func nodes() async throws(BackendError) -> [NodeRow] {
        try await store.store("read the nodes") {
            var rows: [NodeRow] = []
            let result = try await store.client.query("""
                SELECT name, site, (EXTRACT(EPOCH FROM now() - heartbeat_at) * 1000)::bigint, stopping FROM virtfed_node ORDER BY name
                """, logger: store.logger)
            for try await (name, site, age, stopping) in result.decode((String, String?, Int, Bool).self) {
                rows.append(NodeRow(name: name, site: site, heartbeatAgeMilliseconds: age, stopping: stopping))
            }
            return rows
        }
    }

    /// Every lease.
    func leases() async throws(BackendError) -> [LeaseRow] {
        try await store.store("read the leases") {
            var rows: [LeaseRow] = []
            let result = try await store.client.query("""
                SELECT backend, node, generation,
                       GREATEST(LEAST(EXTRACT(EPOCH FROM expires_at - now()) * 1000, 1e12), -1e12)::bigint
                FROM virtfed_lease ORDER BY backend
                """, logger: store.logger)
            for try await (backend, node, generation, expires) in result.decode((String, String, Int64, Int).self) {
                rows.append(LeaseRow(backend: backend, node: node, generation: generation, expiresInMilliseconds: expires))
            }
            return rows
        }
    }

    /// Extends every unexpired lease `node` holds by `milliseconds`; what it still holds, with generations.
    func renew(node: String, milliseconds: Int) async throws(BackendError) -> [String: Int64] {
        try await store.store("renew the leases of \(node)") {
            try await Self.held(try await store.client.query("""
                UPDATE virtfed_lease SET expires_at = now() + make_interval(secs => \(Double(milliseconds) / 1000))
                WHERE node = \(node) AND expires_at > now() RETURNING backend, generation
                """, logger: store.logger))
        }
    }

    /// Takes each of `backends` that no one holds, or whose lease expired or was released, for
    /// `milliseconds`, raising its generation; what was taken.
    func acquire(_ backends: [String], node: String, milliseconds: Int) async throws(BackendError) -> [String: Int64] {
        guard !backends.isEmpty else { return [:] }
        return try await store.store("take leases for \(node)") {
            try await Self.held(try await store.client.query("""
                INSERT INTO virtfed_lease (backend, node, generation, expires_at)
                SELECT backend, \(node), 1, now() + make_interval(secs => \(Double(milliseconds) / 1000)) FROM unnest(\(backends)::text[]) AS t(backend)
                ON CONFLICT (backend) DO UPDATE SET node = excluded.node, generation = virtfed_lease.generation + 1, expires_at = excluded.expires_at
                WHERE virtfed_lease.expires_at <= now()
                RETURNING backend, generation
                """, logger: store.logger))
        }
    }

    /// The jobs other nodes left running on `backends` (now taken by `node`): their former
    /// holder is gone and nothing follows them any more, so they are `unknown` — never re-sent.
    func orphanJobs(on backends: [String], takenBy node: String) async throws(BackendError) {
        guard !backends.isEmpty else { return }
        try await store.store("mark orphaned jobs") { [store] in
            _ = try await store.client.query("""
                UPDATE virtfed_job SET state = 'unknown', updated_at = now(),
                    record = jsonb_set(jsonb_set(record, '{state}', '"unknown"'), '{message}',
                        to_jsonb('node ' || node || ' stopped holding the backend while the job ran; nothing followed it since: the listing shows the VM''s state'::text))
                WHERE state = 'running' AND node <> \(node) AND record->>'route' = ANY(\(backends)::text[])
                """, logger: store.logger)
        }
    }

    /// Gives up `backends` (held by `node`) at once, for another node to take.
    func release(_ backends: [String], node: String) async throws(BackendError) {
        guard !backends.isEmpty else { return }
        try await store.store("release leases of \(node)") {
            try await store.client.query("""
                UPDATE virtfed_lease SET expires_at = to_timestamp(0) WHERE node = \(node) AND backend = ANY(\(backends)::text[])
                """, logger: store.logger)
        }
    }

    private static func held(_ rows: PostgresRowSequence) async throws -> [String: Int64] {
        var held: [String: Int64] = [:]
        for try await (backend, generation) in rows.decode((String, Int64).self) { held[backend] = generation }
        return held
    }
}
