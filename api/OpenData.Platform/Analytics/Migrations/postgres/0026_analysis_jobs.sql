-- Analysis jobs (issue 18 part 3): a requester's declared aggregate queries (JSON) on a dataset it may not read row by row, run in
-- the background on the real rows under the automatic output checks; the checked outputs wait here for the owner's airlock
-- decision (release, release withholding some outputs, reject). Only released, non-withheld outputs ever reach the requester.
-- lease_owner and lease_until: the node running the job, so that two nodes never run one job.
CREATE TABLE analysis_jobs (
    id              text PRIMARY KEY,
    tenant_id       text NOT NULL,
    requester       text NOT NULL,
    dataset_id      text NOT NULL,
    owner_id        text NOT NULL,
    queries         text NOT NULL,
    status          text NOT NULL,
    failure         text,
    outputs         text,
    withheld        text,
    decision_reason text,
    decided_by      text,
    decided_at      timestamptz,
    lease_owner     text,
    lease_until     timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE INDEX analysis_jobs_status ON analysis_jobs (status, created_at);
CREATE INDEX analysis_jobs_owner ON analysis_jobs (owner_id, status);
CREATE INDEX analysis_jobs_tenant ON analysis_jobs (tenant_id, created_at);
