-- Failed password checks per account, over a window: past a limit the password is not checked until the window
-- ends, so guessing it online takes years. In the database, so every node of a hub counts the same attempts.
CREATE TABLE failed_sign_ins (
    user_id      VARCHAR(24) PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    attempts     INTEGER     NOT NULL,
    window_start BIGINT      NOT NULL
);
