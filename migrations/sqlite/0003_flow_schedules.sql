-- Flowline metadata store, schema version 3: what the server's scheduler remembers per flow.
-- anchor_at: the first instant a rate(...) schedule counts from when the flow has no scheduleStartTime.
-- last_fired_at: the last time the scheduler started a run, so a restart catches up at most one run.
-- Timestamps are INTEGER microseconds since the Unix epoch (UTC).

CREATE TABLE flow_schedules (
    flow_name     TEXT    PRIMARY KEY NOT NULL REFERENCES flows (name) ON DELETE CASCADE,
    anchor_at     INTEGER NOT NULL,
    last_fired_at INTEGER,
    updated_at    INTEGER NOT NULL
) STRICT;
