-- Platform secrets that must never change once made (the pseudonymisation master key), sealed under the key-encryption key.
CREATE TABLE platform_secrets (
    kind        TEXT PRIMARY KEY,
    material    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- Tags suggested to a dataset's owner from profiling the untagged string columns of the version last published.
CREATE TABLE tag_suggestions (
    dataset_key INTEGER NOT NULL REFERENCES datasets (key),
    version     INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    tag         TEXT NOT NULL,
    share       REAL NOT NULL,
    sampled     INTEGER NOT NULL,
    PRIMARY KEY (dataset_key, position, tag)
);
