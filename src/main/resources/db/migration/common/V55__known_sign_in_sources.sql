-- The client addresses (an IPv4 address, an IPv6 /64) an account signed in from with its password in the last 30
-- days: guesses from many other addresses cannot use up the account's ceiling for these, so a guessing botnet no
-- longer keeps the owner out of their usual machines. Forgotten with the password, and after 30 days.
CREATE TABLE known_sign_in_sources (
    user_id      VARCHAR(24)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source       VARCHAR(64)  NOT NULL,
    last_used_at BIGINT       NOT NULL,
    PRIMARY KEY (user_id, source)
);
