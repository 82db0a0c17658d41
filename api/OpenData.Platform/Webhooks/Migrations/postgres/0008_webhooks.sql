-- Tenants' webhooks, and the outbox their events are delivered from (written in the same transaction as the change).
CREATE TABLE webhooks (
    id          text PRIMARY KEY,
    tenant_id   text NOT NULL,
    url         text NOT NULL,
    secret      text NOT NULL, -- sealed under the key-encryption key (AES-GCM)
    events      text NOT NULL,
    created_at  timestamptz NOT NULL,
    disabled_at timestamptz
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id);

CREATE TABLE webhook_deliveries (
    id              text PRIMARY KEY,
    webhook_id      text NOT NULL REFERENCES webhooks (id),
    tenant_id       text NOT NULL,
    event           text NOT NULL,
    payload         text NOT NULL,
    created_at      timestamptz NOT NULL,
    status          text NOT NULL,
    attempts        integer NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    delivered_at    timestamptz,
    last_status     integer,
    last_error      text
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);

ALTER TABLE grants ADD COLUMN expiring_notified_at timestamptz;
