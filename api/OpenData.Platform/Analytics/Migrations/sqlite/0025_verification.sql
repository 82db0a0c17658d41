-- Verification products (核验服务): one per dataset, defined by its owner: the key columns a caller gives (a JSON list of
-- column names; the first finds the candidate rows) and the answer (match or fields). Never a row value is stored here.
CREATE TABLE verifications (
    dataset_key INTEGER PRIMARY KEY REFERENCES datasets (key),
    dataset_id  TEXT NOT NULL,
    owner_id    TEXT NOT NULL,
    keys        TEXT NOT NULL,
    answer      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);

-- Verification calls per tenant, dataset and quota day (counts only, never a value): what bounds enumeration (no_matches
-- against the daily limit) and records that the owner was alerted (alerted_at, once per tenant, dataset and day).
CREATE TABLE verification_days (
    tenant_id   TEXT NOT NULL,
    dataset_key INTEGER NOT NULL,
    day         TEXT NOT NULL,
    calls       INTEGER NOT NULL,
    records     INTEGER NOT NULL,
    matches     INTEGER NOT NULL,
    no_matches  INTEGER NOT NULL,
    alerted_at  TEXT,
    PRIMARY KEY (tenant_id, dataset_key, day)
);
