-- Failed password checks per account and per client address (an IPv4 address, an IPv6 /64): a guesser locks out
-- its own address, not the account's owner; the rows for all addresses together cap what many addresses can try.
-- The counts are minutes old at most, so the table is made anew rather than converted.
DROP TABLE failed_sign_ins;
CREATE TABLE failed_sign_ins (
    user_id      VARCHAR(24)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source       VARCHAR(64)  NOT NULL,
    attempts     INTEGER      NOT NULL,
    window_start BIGINT       NOT NULL,
    PRIMARY KEY (user_id, source)
);
