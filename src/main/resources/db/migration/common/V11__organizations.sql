-- Organizations and their members. An organization's name shares one namespace with user names: repos live under
-- either, and the application refuses a name the other table already has.
CREATE TABLE organizations (
    id         VARCHAR(24)  PRIMARY KEY,
    name       VARCHAR(96)  NOT NULL UNIQUE,
    fullname   VARCHAR(200) NOT NULL,
    created_at BIGINT       NOT NULL
);

-- The Hub's roles: read, contributor (pull requests, no pushes to main), write, admin.
CREATE TABLE org_members (
    org_id     VARCHAR(24) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id    VARCHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       VARCHAR(16) NOT NULL,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX org_members_user ON org_members (user_id);
