-- CloudFormation stacks deployed by `flowline deploy`: what each stack created and the properties
-- it last applied, so a redeploy changes only what changed and delete-stack removes what it made.

CREATE TABLE cfn_stacks (
    name            TEXT    PRIMARY KEY NOT NULL,
    stack_id        TEXT    NOT NULL UNIQUE,
    status          TEXT    NOT NULL,   -- CREATE_COMPLETE, UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE
    template_hash   TEXT    NOT NULL,   -- SHA-256 of the template text last deployed
    parameters      BLOB    NOT NULL,   -- JSON object of the parameter values last used
    created_at      INTEGER NOT NULL,
    last_updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE cfn_stack_resources (
    stack_name      TEXT    NOT NULL REFERENCES cfn_stacks (name) ON DELETE CASCADE,
    logical_id      TEXT    NOT NULL,
    resource_type   TEXT    NOT NULL,
    physical_id     TEXT    NOT NULL,   -- the flow's or connector profile's name
    status          TEXT    NOT NULL,   -- CREATE_COMPLETE, UPDATE_COMPLETE
    properties      BLOB    NOT NULL,   -- resolved CloudFormation properties last applied, secrets left out
    sealed_secrets  BLOB,               -- the secret part of those properties (profile credentials), sealed
    position        INTEGER NOT NULL,   -- creation order, so deletion can go in reverse
    last_updated_at INTEGER NOT NULL,
    PRIMARY KEY (stack_name, logical_id)
) STRICT, WITHOUT ROWID;
