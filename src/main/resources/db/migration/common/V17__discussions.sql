-- Discussions and pull requests, numbered per repo from 1 (one sequence for both, as on the Hub). A pull request's
-- commits live on the git ref refs/pr/{num}; merging brings them into its base branch.
CREATE TABLE discussions (
    repo_id      VARCHAR(24)  NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
    num          INTEGER      NOT NULL,
    title        VARCHAR(300) NOT NULL,
    author_id    VARCHAR(24)  REFERENCES users (id) ON DELETE SET NULL,
    is_pr        BOOLEAN      NOT NULL,
    status       VARCHAR(8)   NOT NULL,  -- draft, open, closed, merged
    base_ref     VARCHAR(300),           -- a pull request's target branch, refs/heads/...
    merge_commit VARCHAR(40),
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    PRIMARY KEY (repo_id, num)
);

CREATE TABLE discussion_events (
    id         VARCHAR(24) PRIMARY KEY,
    repo_id    VARCHAR(24) NOT NULL,
    num        INTEGER     NOT NULL,
    type       VARCHAR(16) NOT NULL,  -- comment, status-change, commit, title-change
    author_id  VARCHAR(24) REFERENCES users (id) ON DELETE SET NULL,
    data_json  TEXT        NOT NULL,
    created_at BIGINT      NOT NULL,
    FOREIGN KEY (repo_id, num) REFERENCES discussions (repo_id, num) ON DELETE CASCADE
);
CREATE INDEX discussion_events_thread ON discussion_events (repo_id, num, created_at);
