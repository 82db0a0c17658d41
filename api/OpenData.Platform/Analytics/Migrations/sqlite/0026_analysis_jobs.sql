-- Analysis jobs (issue 18 part 3): a requester's declared aggregate queries (JSON) on a dataset it may not read row by row, run in
-- the background on the real rows under the automatic output checks; the checked outputs wait here for the owner's airlock
-- decision (release, release withholding some outputs, reject). Only released, non-withheld outputs ever reach the requester.
-- lease_owner and lease_until: the node running the job, so that two nodes never run one job.
CREATE TABLE analysis_jobs (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    requester       TEXT NOT NULL,
    dataset_id      TEXT NOT NULL,
    owner_id        TEXT NOT NULL,
    queries         TEXT NOT NULL,
    status          TEXT NOT NULL,
    failure         TEXT,
    outputs         TEXT,
    withheld        TEXT,
    decision_reason TEXT,
    decided_by      TEXT,
    decided_at      TEXT,
    lease_owner     TEXT,
    lease_until     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE INDEX analysis_jobs_status ON analysis_jobs (status, created_at);
CREATE INDEX analysis_jobs_owner ON analysis_jobs (owner_id, status);
CREATE INDEX analysis_jobs_tenant ON analysis_jobs (tenant_id, created_at);
