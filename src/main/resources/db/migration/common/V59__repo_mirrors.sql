-- Repos copied from a repo of another hub (huggingface.co, or any hub that speaks its protocols), with their history
-- and large files: imported once (keep_in_sync false: the row goes once the first sync has landed) or kept in sync.
-- While a row exists the repo's branches and tags change only by syncing from the source. The source's token, when
-- one is needed, is sealed under a key derived from the server secret and bound to the repo.
CREATE TABLE repo_mirrors (
    repo_id       VARCHAR(24)  NOT NULL PRIMARY KEY REFERENCES repos (id) ON DELETE CASCADE,
    source        TEXT         NOT NULL,
    token         TEXT,
    keep_in_sync  BOOLEAN      NOT NULL,
    created_by    VARCHAR(24)  NOT NULL,
    created_at    BIGINT       NOT NULL,
    next_sync_at  BIGINT       NOT NULL,
    last_sync_at  BIGINT,
    last_error    TEXT
);
CREATE INDEX repo_mirrors_due ON repo_mirrors (next_sync_at);
