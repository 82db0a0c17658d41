-- Access requests to restricted and sensitive datasets; `version` makes every transition a compare-and-set.
CREATE TABLE access_requests (
    id              TEXT PRIMARY KEY,
    dataset_key     INTEGER NOT NULL REFERENCES datasets (key),
    dataset_id      TEXT NOT NULL,
    owner_id        TEXT NOT NULL,
    requester_id    TEXT NOT NULL,
    app_id          TEXT,
    columns         TEXT,
    purpose         TEXT NOT NULL,
    duration_days   INTEGER NOT NULL,
    status          TEXT NOT NULL,
    platform_review INTEGER NOT NULL,
    approved_columns TEXT,
    approved_expires_at TEXT,
    grant_id        TEXT,
    version         INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX access_requests_requester ON access_requests (requester_id, dataset_key);
CREATE INDEX access_requests_owner ON access_requests (owner_id, status);

CREATE TABLE access_request_events (
    request_id  TEXT NOT NULL REFERENCES access_requests (id),
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    reason      TEXT,
    columns     TEXT,
    expires_at  TEXT,
    PRIMARY KEY (request_id, seq)
);

CREATE TABLE grants (
    id            TEXT PRIMARY KEY,
    request_id    TEXT NOT NULL REFERENCES access_requests (id),
    tenant_id     TEXT NOT NULL,
    dataset_key   INTEGER NOT NULL REFERENCES datasets (key),
    dataset_id    TEXT NOT NULL,
    owner_id      TEXT NOT NULL,
    app_id        TEXT,
    columns       TEXT,
    purpose       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT,
    revoked_by    TEXT,
    revoke_reason TEXT
);
CREATE INDEX grants_tenant ON grants (tenant_id, dataset_key);
CREATE INDEX grants_owner ON grants (owner_id);
