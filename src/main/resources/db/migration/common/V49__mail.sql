-- When the account's current email was shown to be its owner's (a link mailed to it was opened); cleared when the
-- email changes. Null on a hub without mail.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;

-- Links that let an account's owner choose a new password, mailed to its address. Only a hash of the link's secret
-- is kept, as for tokens; a link works once, for an hour.
CREATE TABLE password_resets (
    token_hash VARCHAR(64) PRIMARY KEY,
    user_id    VARCHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    used_at    BIGINT
);
CREATE INDEX password_resets_by_user ON password_resets (user_id, created_at);
