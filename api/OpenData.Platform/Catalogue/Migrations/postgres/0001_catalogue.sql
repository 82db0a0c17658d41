-- Catalogue, dataset versions and ingestion jobs.
CREATE TABLE organisations (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    name_en     text NOT NULL,
    homepage    text,
    email       text
);

CREATE TABLE themes (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    name_en     text NOT NULL
);

CREATE TABLE datasets (
    key              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               text NOT NULL UNIQUE,
    owner_id         text NOT NULL REFERENCES organisations (id),
    title            text NOT NULL,
    description      text NOT NULL,
    theme_id         text NOT NULL REFERENCES themes (id),
    classification   text NOT NULL CHECK (classification IN ('open', 'restricted', 'sensitive')),
    license          text NOT NULL,
    update_frequency text NOT NULL,
    current_version  integer,
    row_count        bigint NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX ix_datasets_owner ON datasets (owner_id);
CREATE INDEX ix_datasets_theme ON datasets (theme_id);

CREATE TABLE dataset_columns (
    dataset_key  bigint NOT NULL REFERENCES datasets (key),
    position     integer NOT NULL,
    name         text NOT NULL,
    type         text NOT NULL,
    title        text NOT NULL,
    description  text,
    tag          text,
    PRIMARY KEY (dataset_key, position),
    UNIQUE (dataset_key, name)
);

CREATE TABLE dataset_versions (
    dataset_key   bigint NOT NULL REFERENCES datasets (key),
    version       integer NOT NULL,
    table_name    text NOT NULL,
    status        text NOT NULL CHECK (status IN ('loading', 'published', 'retired', 'failed', 'dropped')),
    row_count     bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    published_at  timestamptz,
    PRIMARY KEY (dataset_key, version)
);

CREATE TABLE ingestion_jobs (
    id             text PRIMARY KEY,
    dataset_key    bigint NOT NULL REFERENCES datasets (key),
    owner_id       text NOT NULL,
    status         text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    charset        text NOT NULL,
    spool_path     text,
    bytes_total    bigint NOT NULL,
    bytes_read     bigint NOT NULL DEFAULT 0,
    rows_read      bigint NOT NULL DEFAULT 0,
    rows_rejected  bigint NOT NULL DEFAULT 0,
    errors         text NOT NULL DEFAULT '[]',
    message        text,
    version        integer,
    created_at     timestamptz NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz
);
CREATE INDEX ix_ingestion_jobs_status ON ingestion_jobs (status);
