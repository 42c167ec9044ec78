// Generated from migrations/postgres/*.sql; WarehouseMigrationsTests checks it stays in sync.
// Edit the SQL file, then paste it here (the test prints the expected text when they differ).

/// The warehouse-side migrations, compiled into the binary so a deployed `flowline` needs no
/// files beside it. Applied in order by `WarehouseMigrator`.
enum WarehouseMigrations {
    static let all: [(id: String, sql: String)] = [
        ("0001_flowline_load_ledger", """
-- Flowline's load ledger in the warehouse: one row per table a run loaded, written in the same
-- transaction as the data, so the data and the record of having loaded it commit or vanish
-- together. Flowline reads it after a crash to tell a committed run from a lost one; analysts
-- can query it (which run loaded what, for which incremental window, and when).
CREATE TABLE flowline.load_ledger (
    execution_id     text        NOT NULL,
    target_table     text        NOT NULL,
    flow_name        text        NOT NULL,
    write_operation  text        NOT NULL,
    -- The incremental window [window_start, window_end) the run pulled; NULL for complete pulls.
    window_field     text,
    window_start     timestamptz,
    window_end       timestamptz,
    records_copied   bigint      NOT NULL,
    records_affected bigint      NOT NULL,
    records_rejected bigint      NOT NULL,
    bytes_sent       bigint      NOT NULL,
    run_started_at   timestamptz NOT NULL,
    committed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (execution_id, target_table)
);

CREATE INDEX load_ledger_flow_committed ON flowline.load_ledger (flow_name, committed_at);
"""),
    ]
}
