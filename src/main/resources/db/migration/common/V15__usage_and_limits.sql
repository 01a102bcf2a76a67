-- Limits an operator sets per user or organization (NULL: no limit), and a daily record of storage used, for the
-- usage page's chart and monthly statements.
CREATE TABLE plans (
    namespace         VARCHAR(96) PRIMARY KEY,
    private_storage   BIGINT,   -- bytes the private repos may hold
    max_file_size     BIGINT,   -- bytes of one file
    max_private_repos INTEGER
);

CREATE TABLE usage_days (
    namespace     VARCHAR(96) NOT NULL,
    day           INTEGER     NOT NULL,  -- days since 1970-01-01, UTC
    private_bytes BIGINT      NOT NULL,
    public_bytes  BIGINT      NOT NULL,
    PRIMARY KEY (namespace, day)
);
