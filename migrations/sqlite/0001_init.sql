-- Flowline metadata store, schema version 1.
-- Each file here runs inside one transaction opened by the migrator: no BEGIN/COMMIT in files.
-- Timestamps are INTEGER microseconds since the Unix epoch (UTC). Documents are JSON as BLOB.

CREATE TABLE connector_profiles (
    name               TEXT    PRIMARY KEY NOT NULL,
    arn                TEXT    NOT NULL UNIQUE,
    connector_type     TEXT    NOT NULL,
    connector_label    TEXT,
    connection_mode    TEXT    NOT NULL,
    kms_arn            TEXT,
    credentials_arn    TEXT    NOT NULL,
    properties         BLOB    NOT NULL,   -- non-secret connectorProfileProperties JSON
    sealed_credentials BLOB    NOT NULL,   -- AES-GCM blob, see CredentialSealer
    created_at         INTEGER NOT NULL,
    last_updated_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX connector_profiles_by_type ON connector_profiles (connector_type, name);

CREATE TABLE flows (
    name                        TEXT    PRIMARY KEY NOT NULL,
    arn                         TEXT    NOT NULL UNIQUE,
    description                 TEXT,
    kms_arn                     TEXT,
    flow_status                 TEXT    NOT NULL,
    definition                  BLOB    NOT NULL,   -- the full flow definition JSON
    source_connector_type       TEXT    NOT NULL,
    destination_connector_types TEXT    NOT NULL,   -- JSON array of connector type names
    trigger_type                TEXT    NOT NULL,
    created_at                  INTEGER NOT NULL,
    last_updated_at             INTEGER NOT NULL,
    created_by                  TEXT    NOT NULL,
    last_updated_by             TEXT    NOT NULL,
    schema_version              INTEGER NOT NULL
) STRICT;

-- Which connector profiles a flow uses, so "which flows use profile X" is one indexed lookup.
CREATE TABLE flow_profile_links (
    flow_name    TEXT NOT NULL REFERENCES flows (name) ON DELETE CASCADE,
    profile_name TEXT NOT NULL REFERENCES connector_profiles (name) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('source', 'destination')),
    position     INTEGER NOT NULL,   -- keeps the destinations in the flow's order
    PRIMARY KEY (flow_name, role, profile_name)
) STRICT, WITHOUT ROWID;

CREATE INDEX flow_profile_links_by_profile ON flow_profile_links (profile_name, flow_name);

CREATE TABLE resource_tags (
    resource_arn TEXT NOT NULL,
    tag_key      TEXT NOT NULL,
    tag_value    TEXT NOT NULL,
    PRIMARY KEY (resource_arn, tag_key)
) STRICT, WITHOUT ROWID;

-- Tags live and die with their resource.
CREATE TRIGGER connector_profiles_delete_tags AFTER DELETE ON connector_profiles
BEGIN
    DELETE FROM resource_tags WHERE resource_arn = OLD.arn;
END;

CREATE TRIGGER flows_delete_tags AFTER DELETE ON flows
BEGIN
    DELETE FROM resource_tags WHERE resource_arn = OLD.arn;
END;

CREATE TABLE executions (
    execution_id         TEXT    PRIMARY KEY NOT NULL,
    flow_name            TEXT    NOT NULL REFERENCES flows (name) ON DELETE CASCADE,
    status               TEXT    NOT NULL
        CHECK (status IN ('InProgress', 'Successful', 'Error', 'Canceled', 'CancelStarted')),
    started_at           INTEGER NOT NULL,
    last_updated_at      INTEGER NOT NULL,
    data_pull_start_time INTEGER,
    data_pull_end_time   INTEGER,
    records_processed    INTEGER NOT NULL DEFAULT 0,
    bytes_processed      INTEGER NOT NULL DEFAULT 0,
    bytes_written        INTEGER NOT NULL DEFAULT 0,
    put_failures_count   INTEGER NOT NULL DEFAULT 0,
    execution_message    TEXT,
    runner_pid           INTEGER,               -- with runner_host, lets a later command spot a dead run
    runner_host          TEXT,
    watermark            INTEGER,               -- microseconds; the window end this run pulled up to
    resume_token         TEXT                   -- where a run stopped by the data cap left off
) STRICT;

CREATE INDEX executions_by_flow ON executions (flow_name, started_at DESC, execution_id DESC);
CREATE INDEX executions_by_status ON executions (status, flow_name);

-- The last committed incremental watermark of each flow, written in the same transaction
-- as the execution's final update.
CREATE TABLE flow_watermarks (
    flow_name    TEXT    PRIMARY KEY NOT NULL REFERENCES flows (name) ON DELETE CASCADE,
    watermark    INTEGER NOT NULL,
    execution_id TEXT    NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE idempotency_tokens (
    operation    TEXT    NOT NULL,
    client_token TEXT    NOT NULL,
    response     BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (operation, client_token)
) STRICT, WITHOUT ROWID;

-- Local stand-ins for customer KMS keys; the material is sealed under the home's master key.
CREATE TABLE customer_keys (
    key_id          TEXT    PRIMARY KEY NOT NULL,
    arn             TEXT    NOT NULL UNIQUE,
    sealed_material BLOB    NOT NULL,
    description     TEXT,
    created_at      INTEGER NOT NULL
) STRICT;
