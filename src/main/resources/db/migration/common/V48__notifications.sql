-- What a user should look at: one row per discussion or pull request they follow (on their own or their
-- organization's repo, one they took part in, or one that mentioned them), kept at its latest activity and
-- unread until they open it.
CREATE TABLE notifications (
    user_id    VARCHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    repo_id    VARCHAR(24) NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
    num        INTEGER     NOT NULL,
    reason     VARCHAR(16) NOT NULL,
    actor      VARCHAR(96),
    updated_at BIGINT      NOT NULL,
    read_at    BIGINT,
    PRIMARY KEY (user_id, repo_id, num)
);
CREATE INDEX notifications_by_user ON notifications (user_id, updated_at);
