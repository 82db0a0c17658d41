-- A job names its dataset by the public id as well as the key, so reading a job needs no join with the catalogue's table.
-- The backfill reads datasets once; from now on the job row is written with both. (SQLite cannot add NOT NULL to an existing
-- column; the store always writes it.)
ALTER TABLE ingestion_jobs ADD COLUMN dataset_id TEXT;
UPDATE ingestion_jobs SET dataset_id = (SELECT d.id FROM datasets d WHERE d.key = ingestion_jobs.dataset_key);
