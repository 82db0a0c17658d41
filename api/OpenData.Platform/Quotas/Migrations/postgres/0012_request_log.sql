-- Each metered request of a tenant, kept for 7 days: when, which app, the route's pattern (never the path as sent nor its
-- query string, which carry filter values), the answer's status, rows, bytes and duration. Never a value of the data.
CREATE TABLE request_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    tenant_id   text NOT NULL,
    app_id      text NOT NULL,
    method      text NOT NULL,
    route       text NOT NULL,
    dataset_id  text NOT NULL,
    status      integer NOT NULL,
    rows_read   bigint NOT NULL,
    bytes_sent  bigint NOT NULL,
    duration_ms integer NOT NULL
);
CREATE INDEX request_log_tenant_at ON request_log (tenant_id, at, id);
CREATE INDEX request_log_at ON request_log (at);
