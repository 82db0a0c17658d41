-- Aggregates: each dataset's aggregate access (the owner's setting, as JSON: enabled, k, epsilon, daily budget, dominance,
-- groupable columns, measurable columns with their bounds), and the canonical queries each tenant ran on a dataset per quota day,
-- which is what the privacy budget counts: a repeat finds its row and spends nothing.
CREATE TABLE aggregate_access (
    dataset_id  TEXT PRIMARY KEY,
    settings    TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE aggregate_queries (
    tenant_id   TEXT NOT NULL,
    dataset_id  TEXT NOT NULL,
    day         TEXT NOT NULL,
    query_hash  TEXT NOT NULL,
    epsilon     DOUBLE PRECISION NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, dataset_id, day, query_hash)
);
