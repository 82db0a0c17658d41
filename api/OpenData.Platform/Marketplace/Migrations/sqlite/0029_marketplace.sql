-- The data-services marketplace (issue 22): providers licensed by the operator, products with plans, prices and versioned
-- agreements, subscriptions of apps to a product's plan (each period of a plan kept for the statements), and statements that
-- are computed from metered usage while their month is open and kept, unchangeable, once it has closed (CST).
-- Money is a decimal string (CNY), never a float.
CREATE TABLE provider_licences (
    tenant_id   TEXT PRIMARY KEY,
    licensed_by TEXT NOT NULL,
    licensed_at TEXT NOT NULL,
    note        TEXT,
    revoked_at  TEXT,
    revoked_by  TEXT
);

CREATE TABLE products (
    id                TEXT PRIMARY KEY,
    provider_id       TEXT NOT NULL,
    kind              TEXT NOT NULL,
    title             TEXT NOT NULL,
    title_en          TEXT,
    description       TEXT NOT NULL,
    description_en    TEXT,
    documentation     TEXT,
    datasets          TEXT NOT NULL,
    plans             TEXT NOT NULL,
    agreement_version TEXT NOT NULL,
    approval          TEXT NOT NULL,
    status            TEXT NOT NULL,
    retires_at        TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX products_provider ON products (provider_id);
CREATE INDEX products_status ON products (status, id);

-- Every version of every product's agreement, as subscribers accepted it.
CREATE TABLE product_agreements (
    product_id TEXT NOT NULL,
    version    TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (product_id, version)
);

CREATE TABLE subscriptions (
    id                TEXT PRIMARY KEY,
    product_id        TEXT NOT NULL,
    provider_id       TEXT NOT NULL,
    tenant_id         TEXT NOT NULL,
    app_id            TEXT NOT NULL,
    client_id         TEXT NOT NULL,
    plan              TEXT NOT NULL,
    agreement_version TEXT NOT NULL,
    status            TEXT NOT NULL,
    reason            TEXT,
    decided_by        TEXT,
    decided_at        TEXT,
    ends_at           TEXT,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX subscriptions_tenant ON subscriptions (tenant_id, created_at);
CREATE INDEX subscriptions_provider ON subscriptions (provider_id, status);
CREATE INDEX subscriptions_app ON subscriptions (app_id, status);

-- The plans a subscription held, day by day (CST): the price and limits as accepted, from_day inclusive, to_day inclusive
-- (null while it holds). A change of plan ends one period the day before and starts the next on the day of the change.
CREATE TABLE subscription_periods (
    subscription_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    plan            TEXT NOT NULL,
    price_model     TEXT NOT NULL,
    amount          TEXT NOT NULL,
    limits          TEXT NOT NULL,
    from_day        TEXT NOT NULL,
    to_day          TEXT,
    PRIMARY KEY (subscription_id, seq)
);

-- A closed month's statement lines, written once when the month is first read after it ended; never updated.
CREATE TABLE statement_lines (
    month           TEXT NOT NULL,
    subscription_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    product_id      TEXT NOT NULL,
    provider_id     TEXT NOT NULL,
    tenant_id       TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    plan            TEXT NOT NULL,
    price_model     TEXT NOT NULL,
    unit_price      TEXT NOT NULL,
    from_day        TEXT NOT NULL,
    to_day          TEXT NOT NULL,
    calls           INTEGER NOT NULL,
    rows_read       INTEGER NOT NULL,
    quantity        TEXT NOT NULL,
    amount          TEXT NOT NULL,
    PRIMARY KEY (month, subscription_id, seq)
);
CREATE TABLE statement_months (
    month     TEXT PRIMARY KEY,
    closed_at TEXT NOT NULL
);

-- Corrections of a closed month: lines on the open month's statement naming the month they correct.
CREATE TABLE statement_adjustments (
    id              TEXT PRIMARY KEY,
    month           TEXT NOT NULL,
    corrects_month  TEXT NOT NULL,
    subscription_id TEXT NOT NULL,
    amount          TEXT NOT NULL,
    reason          TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX statement_adjustments_month ON statement_adjustments (month);
