-- Daily allowances leased by the API nodes: `leased` never passes the limit in force when a block was taken.
CREATE TABLE quota_leases (
    partition_key TEXT NOT NULL,
    day           TEXT NOT NULL,
    metric        TEXT NOT NULL,
    leased        INTEGER NOT NULL,
    granted       INTEGER NOT NULL,
    PRIMARY KEY (partition_key, day, metric)
);

-- Usage per tenant ('anonymous' without a token), app ('' without one), dataset ('' for catalogue routes) and day.
CREATE TABLE usage_daily (
    tenant_id   TEXT NOT NULL,
    app_id      TEXT NOT NULL,
    dataset_id  TEXT NOT NULL,
    day         TEXT NOT NULL,
    requests    INTEGER NOT NULL,
    rows_read   INTEGER NOT NULL,
    bytes_sent  INTEGER NOT NULL,
    errors      INTEGER NOT NULL,
    throttled   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, app_id, dataset_id, day)
);
