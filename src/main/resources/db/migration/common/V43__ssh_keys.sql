-- SSH public keys users register for git over SSH. The fingerprint (SHA256:..., as ssh-keygen -l prints it) is what
-- a connecting client's key is looked up by; a key belongs to one account, which it signs in as.
CREATE TABLE ssh_keys (
    id           VARCHAR(24)  PRIMARY KEY,
    user_id      VARCHAR(24)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title        VARCHAR(200) NOT NULL,
    fingerprint  VARCHAR(100) NOT NULL UNIQUE,
    public_key   TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX ssh_keys_user ON ssh_keys (user_id);
