-- Users follow users and organizations: the Hub's followers and following lists, and the counts on profiles.
CREATE TABLE user_follows (
    follower_id VARCHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followed_id VARCHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT      NOT NULL,
    PRIMARY KEY (follower_id, followed_id)
);
-- A profile's followers, newest first, a page at a time.
CREATE INDEX user_follows_followed ON user_follows (followed_id, created_at, follower_id);

CREATE TABLE org_follows (
    follower_id VARCHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id      VARCHAR(24) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_at  BIGINT      NOT NULL,
    PRIMARY KEY (follower_id, org_id)
);
CREATE INDEX org_follows_org ON org_follows (org_id, created_at, follower_id);
