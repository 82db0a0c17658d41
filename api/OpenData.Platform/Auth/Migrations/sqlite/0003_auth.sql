-- Token server: signing and encryption keys (material protected), revoked and redeemed token ids.
CREATE TABLE auth_keys (
    kid         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('signing', 'encryption')),
    material    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    retired_at  TEXT
);

CREATE TABLE revoked_tokens (
    jti         TEXT PRIMARY KEY,
    reason      TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

-- Authorisation codes and refresh tokens are single-use: their ids are recorded when redeemed.
CREATE TABLE redeemed_tokens (
    jti         TEXT PRIMARY KEY,
    expires_at  TEXT NOT NULL
);
