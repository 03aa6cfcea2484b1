/// The PostgreSQL store's schema, as numbered migrations: each applied once, in order, by the
/// first node that starts on a store that lacks it (`PostgresStore.migrate`).
enum StoreSchema {
    /// The advisory lock the migration holds.
    static let lockKey = 7_268_015

    /// Migration N is `migrations[N - 1]`. Never edit one that has shipped: add the next.
    static let migrations: [[String]] = [
        [
            // The nodes of the cluster and their heartbeats.
            """
            CREATE TABLE virtfed_node (name text PRIMARY KEY, site text, address text, started_at timestamptz NOT NULL DEFAULT now(),
                                       heartbeat_at timestamptz NOT NULL DEFAULT now(), stopping boolean NOT NULL DEFAULT false)
            """,
            // Which node holds each backend, until when, and the generation that fences a former holder.
            """
            CREATE TABLE virtfed_lease (backend text PRIMARY KEY, node text NOT NULL, generation bigint NOT NULL,
                                        expires_at timestamptz NOT NULL)
            """,
            // One audit trail for every node, in the order the store received it.
            """
            CREATE TABLE virtfed_audit (sequence bigserial PRIMARY KEY, node text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
                                        entry jsonb NOT NULL)
            """,
            // One job history: each job's latest record, and the node that runs it.
            """
            CREATE TABLE virtfed_job (id text PRIMARY KEY, sequence bigserial, node text NOT NULL, state text NOT NULL,
                                      updated_at timestamptz NOT NULL DEFAULT now(), record jsonb NOT NULL)
            """,
        ],
        [
            // What each holder last read of its backends, for every node to list: one row per
            // backend, its VMs as JSON, a version raised on every change.
            """
            CREATE TABLE virtfed_inventory (backend text PRIMARY KEY, node text NOT NULL, generation bigint NOT NULL,
                                            route_kind text NOT NULL, version bigint NOT NULL, refreshed_at timestamptz NOT NULL,
                                            domains jsonb NOT NULL)
            """,
        ],
        [
            // Changes handed from the node that was asked to the node that holds the backend:
            // taken once (queued → taken), answered once (done or failed), or expired untaken.
            """
            CREATE TABLE virtfed_command (id text PRIMARY KEY, backend text NOT NULL, target_node text NOT NULL, origin_node text NOT NULL,
                                          request jsonb NOT NULL, state text NOT NULL DEFAULT 'queued',
                                          created_at timestamptz NOT NULL DEFAULT now(), taken_at timestamptz, answered_at timestamptz,
                                          result jsonb)
            """,
            "CREATE INDEX virtfed_command_queued ON virtfed_command (target_node) WHERE state = 'queued'",
        ],
    ]
}
