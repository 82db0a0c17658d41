-- Tenants, their people and their apps (OAuth clients).
CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('owner', 'consumer', 'platform')),
    plan        TEXT NOT NULL,
    limits      TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL
);

CREATE TABLE members (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'developer', 'reviewer')),
    password_hash   TEXT NOT NULL,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_members_tenant ON members (tenant_id);

CREATE TABLE apps (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants (id),
    name               TEXT NOT NULL,
    client_id          TEXT NOT NULL UNIQUE,
    secret_hash        TEXT NOT NULL,
    scopes             TEXT NOT NULL,
    environment        TEXT NOT NULL CHECK (environment IN ('live', 'sandbox')),
    redirect_uris      TEXT NOT NULL DEFAULT '',
    disabled_at        TEXT,
    secret_rotated_at  TEXT NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX ix_apps_tenant ON apps (tenant_id);
