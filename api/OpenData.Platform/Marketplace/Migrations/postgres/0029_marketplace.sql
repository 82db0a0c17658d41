-- The data-services marketplace (issue 22): providers licensed by the operator, products with plans, prices and versioned
-- agreements, subscriptions of apps to a product's plan (each period of a plan kept for the statements), and statements that
-- are computed from metered usage while their month is open and kept, unchangeable, once it has closed (CST).
-- Money is a decimal string (CNY), never a float.
CREATE TABLE provider_licences (
    tenant_id   text PRIMARY KEY,
    licensed_by text NOT NULL,
    licensed_at timestamptz NOT NULL,
    note        text,
    revoked_at  timestamptz,
    revoked_by  text
);

CREATE TABLE products (
    id                text PRIMARY KEY,
    provider_id       text NOT NULL,
    kind              text NOT NULL,
    title             text NOT NULL,
    title_en          text,
    description       text NOT NULL,
    description_en    text,
    documentation     text,
    datasets          text NOT NULL,
    plans             text NOT NULL,
    agreement_version text NOT NULL,
    approval          text NOT NULL,
    status            text NOT NULL,
    retires_at        timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX products_provider ON products (provider_id);
CREATE INDEX products_status ON products (status, id);

-- Every version of every product's agreement, as subscribers accepted it.
CREATE TABLE product_agreements (
    product_id text NOT NULL,
    version    text NOT NULL,
    text       text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (product_id, version)
);

CREATE TABLE subscriptions (
    id                text PRIMARY KEY,
    product_id        text NOT NULL,
    provider_id       text NOT NULL,
    tenant_id         text NOT NULL,
    app_id            text NOT NULL,
    client_id         text NOT NULL,
    plan              text NOT NULL,
    agreement_version text NOT NULL,
    status            text NOT NULL,
    reason            text,
    decided_by        text,
    decided_at        timestamptz,
    ends_at           timestamptz,
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX subscriptions_tenant ON subscriptions (tenant_id, created_at);
CREATE INDEX subscriptions_provider ON subscriptions (provider_id, status);
CREATE INDEX subscriptions_app ON subscriptions (app_id, status);

-- The plans a subscription held, day by day (CST): the price and limits as accepted, from_day inclusive, to_day inclusive
-- (null while it holds). A change of plan ends one period the day before and starts the next on the day of the change.
CREATE TABLE subscription_periods (
    subscription_id text NOT NULL,
    seq             integer NOT NULL,
    plan            text NOT NULL,
    price_model     text NOT NULL,
    amount          text NOT NULL,
    limits          text NOT NULL,
    from_day        text NOT NULL,
    to_day          text,
    PRIMARY KEY (subscription_id, seq)
);

-- A closed month's statement lines, written once when the month is first read after it ended; never updated.
CREATE TABLE statement_lines (
    month           text NOT NULL,
    subscription_id text NOT NULL,
    seq             integer NOT NULL,
    product_id      text NOT NULL,
    provider_id     text NOT NULL,
    tenant_id       text NOT NULL,
    client_id       text NOT NULL,
    plan            text NOT NULL,
    price_model     text NOT NULL,
    unit_price      text NOT NULL,
    from_day        text NOT NULL,
    to_day          text NOT NULL,
    calls           bigint NOT NULL,
    rows_read       bigint NOT NULL,
    quantity        text NOT NULL,
    amount          text NOT NULL,
    PRIMARY KEY (month, subscription_id, seq)
);
CREATE TABLE statement_months (
    month     text PRIMARY KEY,
    closed_at timestamptz NOT NULL
);

-- Corrections of a closed month: lines on the open month's statement naming the month they correct.
CREATE TABLE statement_adjustments (
    id              text PRIMARY KEY,
    month           text NOT NULL,
    corrects_month  text NOT NULL,
    subscription_id text NOT NULL,
    amount          text NOT NULL,
    reason          text NOT NULL,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX statement_adjustments_month ON statement_adjustments (month);
