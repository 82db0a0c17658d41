-- Reads far beyond a tenant's own habit: one row per reading tenant, dataset and quota day (so it is raised once), shown to
-- the dataset's owner and sent to the owner's webhooks as `usage.anomaly`. `median` is that of the tenant's reading days
-- among the 14 before (null: no history, so only the floor applied); `rows_read` is the day's rows when it was raised.
CREATE TABLE usage_anomalies (
    tenant_id  text NOT NULL,
    dataset_id text NOT NULL,
    day        text NOT NULL,
    owner_id   text NOT NULL,
    rows_read  bigint NOT NULL,
    median     double precision,
    raised_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, dataset_id, day)
);
CREATE INDEX usage_anomalies_owner ON usage_anomalies (owner_id, day);

-- Values the outbound check masked, summed per dataset, quota day, column and kind of personal data (never a value, never
-- one row per value): what the dataset's owner sees on its monitoring page.
CREATE TABLE outbound_masks (
    dataset_id  text NOT NULL,
    day         text NOT NULL,
    column_name text NOT NULL,
    kind        text NOT NULL,
    owner_id    text NOT NULL,
    masked      bigint NOT NULL,
    reads       bigint NOT NULL,
    first_at    timestamptz NOT NULL,
    last_at     timestamptz NOT NULL,
    PRIMARY KEY (dataset_id, day, column_name, kind)
);
CREATE INDEX outbound_masks_owner ON outbound_masks (owner_id, day);
