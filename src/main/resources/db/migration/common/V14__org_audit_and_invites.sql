-- What happened in an organization, for its admins: membership, settings, visibility, moves and deletions.
CREATE TABLE audit_log (
    id         VARCHAR(24)  PRIMARY KEY,
    org_id     VARCHAR(24)  NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    actor      VARCHAR(96)  NOT NULL,  -- the user's name at the time (kept if the user is deleted)
    action     VARCHAR(64)  NOT NULL,
    target     VARCHAR(300) NOT NULL,
    details    TEXT         NOT NULL,
    created_at BIGINT       NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, created_at);

-- Invitations to join an organization: the link carries a random secret, of which only the SHA-256 is kept.
CREATE TABLE org_invites (
    id          VARCHAR(24)  PRIMARY KEY,
    org_id      VARCHAR(24)  NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    secret_hash VARCHAR(64)  NOT NULL UNIQUE,
    invitee     VARCHAR(320) NOT NULL,  -- a user name or an email address
    role        VARCHAR(16)  NOT NULL,
    created_by  VARCHAR(24)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    accepted_by VARCHAR(24)  REFERENCES users (id) ON DELETE SET NULL
);
