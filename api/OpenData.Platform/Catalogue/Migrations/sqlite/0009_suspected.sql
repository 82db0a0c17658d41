-- A column the profiler found personal values in, or in which the outbound check masked values, is suspected until its
-- owner tags it (a pii.* tag, or `public` for "this is not personal"): the reason (what was found) or NULL.
ALTER TABLE dataset_columns ADD COLUMN suspected TEXT;
