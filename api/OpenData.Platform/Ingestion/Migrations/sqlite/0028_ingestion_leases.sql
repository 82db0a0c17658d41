-- Ingestion that no node owns (issue 19 part 3). An upload is staged in the store (ingestion_uploads, in chunks) unless the
-- configuration names a shared folder (OpenData:Ingestion:StagingPath, then spool_path); any node takes a queued job, or a running
-- one whose lease ran out (its node died), and renews the lease with a heartbeat that also records the progress, so every node
-- answers the job's status. attempts counts how often a node took the job.
ALTER TABLE ingestion_jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE ingestion_jobs ADD COLUMN lease_until TEXT;
ALTER TABLE ingestion_jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ingestion_jobs ADD COLUMN staged_in_store INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_ingestion_jobs_dataset ON ingestion_jobs (dataset_key, status, created_at);

CREATE TABLE ingestion_uploads (
    job_id     TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    data       BLOB NOT NULL,
    staged_at  TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);
