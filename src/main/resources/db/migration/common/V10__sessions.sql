-- Browser sessions: the cookie carries a random secret, of which only the SHA-256 is kept (as for tokens). Each
-- session has its own CSRF token, which every state-changing request made with the cookie must echo.
CREATE TABLE sessions (
    id          VARCHAR(24) PRIMARY KEY,
    user_id     VARCHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash VARCHAR(64) NOT NULL UNIQUE,
    csrf        VARCHAR(64) NOT NULL,
    created_at  BIGINT      NOT NULL,
    expires_at  BIGINT      NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
