-- The synthetic twin of each published version (one row per dataset and version): generated in the background from the
-- version's schema, tags and noisy statistics, never from copied values; served to sandbox callers only when `status` is
-- 'ready' (its privacy checks passed). `report` is the fidelity and privacy report (JSON); `seed` makes the twin of a version
-- the same every time it is generated. A node takes a queued twin under a lease (`lease_owner`, `lease_until`). `schema_hash`
-- is the columns and tags the twin was made for: when the owner tags a column, the twin is made again (`generation` + 1).
CREATE TABLE sandbox_twins (
    dataset_key  bigint NOT NULL,
    dataset_id   text NOT NULL,
    version      integer NOT NULL,
    status       text NOT NULL,
    table_name   text NOT NULL,
    seed         bigint NOT NULL,
    schema_hash  text NOT NULL,
    generation   integer NOT NULL DEFAULT 1,
    source_rows  bigint NOT NULL DEFAULT 0,
    row_count    bigint NOT NULL DEFAULT 0,
    report       text,
    error        text,
    lease_owner  text,
    lease_until  timestamptz,
    created_at   timestamptz NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz,
    PRIMARY KEY (dataset_key, version)
);
CREATE INDEX sandbox_twins_status ON sandbox_twins (status);

-- What each sandbox app read, per dataset and column (never a value): promote turns it into draft access requests for exactly
-- the columns the app used.
CREATE TABLE sandbox_reads (
    client_id   text NOT NULL,
    tenant_id   text NOT NULL,
    dataset_id  text NOT NULL,
    column_name text NOT NULL,
    rows_read   bigint NOT NULL,
    first_at    timestamptz NOT NULL,
    last_at     timestamptz NOT NULL,
    PRIMARY KEY (client_id, dataset_id, column_name)
);
