-- Wrong user codes typed on the device login page, per account, in a window of 15 minutes: past ten, the page stops
-- looking codes up, so that nobody signed in can find someone else's waiting login by trying codes (and hand that
-- person's terminal a token for their own account, as RFC 8628 section 5.1 warns).
CREATE TABLE device_code_misses (
    user_id      VARCHAR(24) NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    misses       INTEGER     NOT NULL,
    window_start BIGINT      NOT NULL
);
