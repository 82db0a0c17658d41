-- Reads far beyond a tenant's own habit: one row per reading tenant, dataset and quota day (so it is raised once), shown to
-- the dataset's owner and sent to the owner's webhooks as `usage.anomaly`. `median` is that of the tenant's reading days
-- among the 14 before (null: no history, so only the floor applied); `rows_read` is the day's rows when it was raised.
CREATE TABLE usage_anomalies (
    tenant_id  TEXT NOT NULL,
    dataset_id TEXT NOT NULL,
    day        TEXT NOT NULL,
    owner_id   TEXT NOT NULL,
    rows_read  INTEGER NOT NULL,
    median     REAL,
    raised_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, dataset_id, day)
);
CREATE INDEX usage_anomalies_owner ON usage_anomalies (owner_id, day);

-- Values the outbound check masked, summed per dataset, quota day, column and kind of personal data (never a value, never
-- one row per value): what the dataset's owner sees on its monitoring page.
CREATE TABLE outbound_masks (
    dataset_id  TEXT NOT NULL,
    day         TEXT NOT NULL,
    column_name TEXT NOT NULL,
    kind        TEXT NOT NULL,
    owner_id    TEXT NOT NULL,
    masked      INTEGER NOT NULL,
    reads       INTEGER NOT NULL,
    first_at    TEXT NOT NULL,
    last_at     TEXT NOT NULL,
    PRIMARY KEY (dataset_id, day, column_name, kind)
);
CREATE INDEX outbound_masks_owner ON outbound_masks (owner_id, day);
