-- A job names its dataset by the public id as well as the key, so reading a job needs no join with the catalogue's table.
-- The backfill reads datasets once; from now on the job row is written with both.
ALTER TABLE ingestion_jobs ADD COLUMN dataset_id text;
UPDATE ingestion_jobs SET dataset_id = (SELECT d.id FROM datasets d WHERE d.key = ingestion_jobs.dataset_key);
ALTER TABLE ingestion_jobs ALTER COLUMN dataset_id SET NOT NULL;
