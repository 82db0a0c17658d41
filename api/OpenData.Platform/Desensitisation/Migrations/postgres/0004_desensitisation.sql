-- Platform secrets that must never change once made (the pseudonymisation master key), sealed under the key-encryption key.
CREATE TABLE platform_secrets (
    kind        text PRIMARY KEY,
    material    text NOT NULL,
    created_at  timestamptz NOT NULL
);

-- Tags suggested to a dataset's owner from profiling the untagged string columns of the version last published.
CREATE TABLE tag_suggestions (
    dataset_key bigint NOT NULL REFERENCES datasets (key),
    version     integer NOT NULL,
    position    integer NOT NULL,
    tag         text NOT NULL,
    share       double precision NOT NULL,
    sampled     integer NOT NULL,
    PRIMARY KEY (dataset_key, position, tag)
);
