-- Catalogue, dataset versions and ingestion jobs.
CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    homepage    TEXT,
    email       TEXT
);

CREATE TABLE themes (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL
);

CREATE TABLE datasets (
    key              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    owner_id         TEXT NOT NULL REFERENCES organisations (id),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    theme_id         TEXT NOT NULL REFERENCES themes (id),
    classification   TEXT NOT NULL CHECK (classification IN ('open', 'restricted', 'sensitive')),
    license          TEXT NOT NULL,
    update_frequency TEXT NOT NULL,
    current_version  INTEGER,
    row_count        INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX ix_datasets_owner ON datasets (owner_id);
CREATE INDEX ix_datasets_theme ON datasets (theme_id);

CREATE TABLE dataset_columns (
    dataset_key  INTEGER NOT NULL REFERENCES datasets (key),
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT,
    tag          TEXT,
    PRIMARY KEY (dataset_key, position),
    UNIQUE (dataset_key, name)
);

CREATE TABLE dataset_versions (
    dataset_key   INTEGER NOT NULL REFERENCES datasets (key),
    version       INTEGER NOT NULL,
    table_name    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('loading', 'published', 'retired', 'failed', 'dropped')),
    row_count     INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    published_at  TEXT,
    PRIMARY KEY (dataset_key, version)
);

CREATE TABLE ingestion_jobs (
    id             TEXT PRIMARY KEY,
    dataset_key    INTEGER NOT NULL REFERENCES datasets (key),
    owner_id       TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    charset        TEXT NOT NULL,
    spool_path     TEXT,
    bytes_total    INTEGER NOT NULL,
    bytes_read     INTEGER NOT NULL DEFAULT 0,
    rows_read      INTEGER NOT NULL DEFAULT 0,
    rows_rejected  INTEGER NOT NULL DEFAULT 0,
    errors         TEXT NOT NULL DEFAULT '[]',
    message        TEXT,
    version        INTEGER,
    created_at     TEXT NOT NULL,
    started_at     TEXT,
    finished_at    TEXT
);
CREATE INDEX ix_ingestion_jobs_status ON ingestion_jobs (status);
