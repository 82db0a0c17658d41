-- A column its owner declared `indexed` (issue 19): each load builds an index on it in the version's table, after the bulk
-- load and before the version is published. 0 for every column declared before.
ALTER TABLE dataset_columns ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;
