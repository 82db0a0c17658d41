-- Lineage (issue 22): the datasets a derived dataset declares it was made from. A derived dataset inherits the strictest
-- classification of its sources and the tags of the source columns it carries; the sources' owners see where their data went.
CREATE TABLE dataset_sources (
    dataset_key  INTEGER NOT NULL,
    dataset_id   TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    source_owner TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (dataset_key, source_id)
);
CREATE INDEX dataset_sources_source ON dataset_sources (source_id);
