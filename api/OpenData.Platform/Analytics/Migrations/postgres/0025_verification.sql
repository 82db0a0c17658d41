-- Verification products (核验服务): one per dataset, defined by its owner: the key columns a caller gives (a JSON list of
-- column names; the first finds the candidate rows) and the answer (match or fields). Never a row value is stored here.
CREATE TABLE verifications (
    dataset_key bigint PRIMARY KEY REFERENCES datasets (key),
    dataset_id  text NOT NULL,
    owner_id    text NOT NULL,
    keys        text NOT NULL,
    answer      text NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text NOT NULL
);

-- Verification calls per tenant, dataset and quota day (counts only, never a value): what bounds enumeration (no_matches
-- against the daily limit) and records that the owner was alerted (alerted_at, once per tenant, dataset and day).
CREATE TABLE verification_days (
    tenant_id   text NOT NULL,
    dataset_key bigint NOT NULL,
    day         text NOT NULL,
    calls       bigint NOT NULL,
    records     bigint NOT NULL,
    matches     bigint NOT NULL,
    no_matches  bigint NOT NULL,
    alerted_at  timestamptz,
    PRIMARY KEY (tenant_id, dataset_key, day)
);
