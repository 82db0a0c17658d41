-- Access requests to restricted and sensitive datasets; `version` makes every transition a compare-and-set.
CREATE TABLE access_requests (
    id              text PRIMARY KEY,
    dataset_key     bigint NOT NULL REFERENCES datasets (key),
    dataset_id      text NOT NULL,
    owner_id        text NOT NULL,
    requester_id    text NOT NULL,
    app_id          text,
    columns         text,
    purpose         text NOT NULL,
    duration_days   integer NOT NULL,
    status          text NOT NULL,
    platform_review boolean NOT NULL,
    approved_columns text,
    approved_expires_at timestamptz,
    grant_id        text,
    version         integer NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX access_requests_requester ON access_requests (requester_id, dataset_key);
CREATE INDEX access_requests_owner ON access_requests (owner_id, status);

CREATE TABLE access_request_events (
    request_id  text NOT NULL REFERENCES access_requests (id),
    seq         integer NOT NULL,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    from_status text,
    to_status   text NOT NULL,
    reason      text,
    columns     text,
    expires_at  timestamptz,
    PRIMARY KEY (request_id, seq)
);

CREATE TABLE grants (
    id            text PRIMARY KEY,
    request_id    text NOT NULL REFERENCES access_requests (id),
    tenant_id     text NOT NULL,
    dataset_key   bigint NOT NULL REFERENCES datasets (key),
    dataset_id    text NOT NULL,
    owner_id      text NOT NULL,
    app_id        text,
    columns       text,
    purpose       text NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    revoked_by    text,
    revoke_reason text
);
CREATE INDEX grants_tenant ON grants (tenant_id, dataset_key);
CREATE INDEX grants_owner ON grants (owner_id);
