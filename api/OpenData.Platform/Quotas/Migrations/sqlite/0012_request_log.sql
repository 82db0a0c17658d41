-- Each metered request of a tenant, kept for 7 days: when, which app, the route's pattern (never the path as sent nor its
-- query string, which carry filter values), the answer's status, rows, bytes and duration. Never a value of the data.
CREATE TABLE request_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    tenant_id   TEXT NOT NULL,
    app_id      TEXT NOT NULL,
    method      TEXT NOT NULL,
    route       TEXT NOT NULL,
    dataset_id  TEXT NOT NULL,
    status      INTEGER NOT NULL,
    rows_read   INTEGER NOT NULL,
    bytes_sent  INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX request_log_tenant_at ON request_log (tenant_id, at, id);
CREATE INDEX request_log_at ON request_log (at);
