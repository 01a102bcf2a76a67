-- LFS objects that could not be made readable through Xet (their blob is missing or unreadable), so that the
-- background conversion does not try them again and again.
CREATE TABLE lfs_xet_failures (
    oid        VARCHAR(64)  PRIMARY KEY,
    reason     VARCHAR(500) NOT NULL,
    failed_at  BIGINT       NOT NULL
);
