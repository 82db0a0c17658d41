-- Token server: signing and encryption keys (material protected), revoked and redeemed token ids.
CREATE TABLE auth_keys (
    kid         text PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('signing', 'encryption')),
    material    text NOT NULL,
    created_at  timestamptz NOT NULL,
    retired_at  timestamptz
);

CREATE TABLE revoked_tokens (
    jti         text PRIMARY KEY,
    reason      text NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- Authorisation codes and refresh tokens are single-use: their ids are recorded when redeemed.
CREATE TABLE redeemed_tokens (
    jti         text PRIMARY KEY,
    expires_at  timestamptz NOT NULL
);
