-- Tenants, their people and their apps (OAuth clients).
CREATE TABLE tenants (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('owner', 'consumer', 'platform')),
    plan        text NOT NULL,
    limits      text NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL
);

CREATE TABLE members (
    id              text PRIMARY KEY,
    tenant_id       text NOT NULL REFERENCES tenants (id),
    email           text NOT NULL UNIQUE,
    name            text NOT NULL,
    role            text NOT NULL CHECK (role IN ('admin', 'developer', 'reviewer')),
    password_hash   text NOT NULL,
    failed_logins   integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL
);
CREATE INDEX ix_members_tenant ON members (tenant_id);

CREATE TABLE apps (
    id                 text PRIMARY KEY,
    tenant_id          text NOT NULL REFERENCES tenants (id),
    name               text NOT NULL,
    client_id          text NOT NULL UNIQUE,
    secret_hash        text NOT NULL,
    scopes             text NOT NULL,
    environment        text NOT NULL CHECK (environment IN ('live', 'sandbox')),
    redirect_uris      text NOT NULL DEFAULT '',
    disabled_at        timestamptz,
    secret_rotated_at  timestamptz NOT NULL,
    created_at         timestamptz NOT NULL
);
CREATE INDEX ix_apps_tenant ON apps (tenant_id);
