-- The data-quality report of a load (issue 15), computed while the rows are read and kept with the job as JSON: per column
-- the empty share, distinct values, min/max and the PII kinds the profiler suggests. NULL for jobs loaded before it.
ALTER TABLE ingestion_jobs ADD COLUMN quality text;
