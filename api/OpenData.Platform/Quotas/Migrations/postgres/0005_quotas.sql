-- Daily allowances leased by the API nodes: `leased` never passes the limit in force when a block was taken.
CREATE TABLE quota_leases (
    partition_key text NOT NULL,
    day           text NOT NULL,
    metric        text NOT NULL,
    leased        bigint NOT NULL,
    granted       bigint NOT NULL,
    PRIMARY KEY (partition_key, day, metric)
);

-- Usage per tenant ('anonymous' without a token), app ('' without one), dataset ('' for catalogue routes) and day.
CREATE TABLE usage_daily (
    tenant_id   text NOT NULL,
    app_id      text NOT NULL,
    dataset_id  text NOT NULL,
    day         text NOT NULL,
    requests    bigint NOT NULL,
    rows_read   bigint NOT NULL,
    bytes_sent  bigint NOT NULL,
    errors      bigint NOT NULL,
    throttled   bigint NOT NULL,
    PRIMARY KEY (tenant_id, app_id, dataset_id, day)
);
