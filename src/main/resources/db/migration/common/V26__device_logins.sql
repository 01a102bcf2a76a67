-- Browser logins for command-line clients (RFC 8628, `hf auth login` → "Log in with your browser"). The client
-- knows a request by its device code, of which only a SHA-256 is kept; the person approving it in the web UI by a
-- short user code. A row lives until its token is handed out, its refusal is reported, or it expires.
CREATE TABLE device_logins (
    device_hash  VARCHAR(64)  PRIMARY KEY,
    user_code    VARCHAR(8)   NOT NULL UNIQUE,
    client_id    VARCHAR(200) NOT NULL,
    status       VARCHAR(16)  NOT NULL,   -- pending, approved, denied
    user_id      VARCHAR(24)  REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    polled_at    BIGINT
);
CREATE INDEX device_logins_expiry ON device_logins (expires_at);
