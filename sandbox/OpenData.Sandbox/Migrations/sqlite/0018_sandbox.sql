-- The synthetic twin of each published version (one row per dataset and version): generated in the background from the
-- version's schema, tags and noisy statistics, never from copied values; served to sandbox callers only when `status` is
-- 'ready' (its privacy checks passed). `report` is the fidelity and privacy report (JSON); `seed` makes the twin of a version
-- the same every time it is generated. A node takes a queued twin under a lease (`lease_owner`, `lease_until`). `schema_hash`
-- is the columns and tags the twin was made for: when the owner tags a column, the twin is made again (`generation` + 1).
CREATE TABLE sandbox_twins (
    dataset_key  INTEGER NOT NULL,
    dataset_id   TEXT NOT NULL,
    version      INTEGER NOT NULL,
    status       TEXT NOT NULL,
    table_name   TEXT NOT NULL,
    seed         INTEGER NOT NULL,
    schema_hash  TEXT NOT NULL,
    generation   INTEGER NOT NULL DEFAULT 1,
    source_rows  INTEGER NOT NULL DEFAULT 0,
    row_count    INTEGER NOT NULL DEFAULT 0,
    report       TEXT,
    error        TEXT,
    lease_owner  TEXT,
    lease_until  TEXT,
    created_at   TEXT NOT NULL,
    started_at   TEXT,
    finished_at  TEXT,
    PRIMARY KEY (dataset_key, version)
);
CREATE INDEX sandbox_twins_status ON sandbox_twins (status);

-- What each sandbox app read, per dataset and column (never a value): promote turns it into draft access requests for exactly
-- the columns the app used.
CREATE TABLE sandbox_reads (
    client_id   TEXT NOT NULL,
    tenant_id   TEXT NOT NULL,
    dataset_id  TEXT NOT NULL,
    column_name TEXT NOT NULL,
    rows_read   INTEGER NOT NULL,
    first_at    TEXT NOT NULL,
    last_at     TEXT NOT NULL,
    PRIMARY KEY (client_id, dataset_id, column_name)
);
