-- GPG public keys users register, so that commits signed with them show as verified. A signature names the key that
-- made it (the primary key or a subkey) by its 64-bit id; gpg_key_ids finds the registered keys that have that id.
CREATE TABLE gpg_keys (
    id          VARCHAR(24) PRIMARY KEY,
    user_id     VARCHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    fingerprint VARCHAR(64) NOT NULL UNIQUE,
    armored     TEXT        NOT NULL,
    created_at  BIGINT      NOT NULL
);
CREATE INDEX gpg_keys_user ON gpg_keys (user_id);

CREATE TABLE gpg_key_ids (
    key_id     VARCHAR(16) NOT NULL,
    gpg_key_id VARCHAR(24) NOT NULL REFERENCES gpg_keys (id) ON DELETE CASCADE,
    PRIMARY KEY (key_id, gpg_key_id)
);
