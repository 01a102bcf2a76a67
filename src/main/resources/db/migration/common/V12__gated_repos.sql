-- Gated repos: anyone who may read the repo sees its card and files list, but its files' content only after the
-- owners accept their access request ('auto' accepts at once, 'manual' queues it). No row means not gated.
CREATE TABLE repo_gates (
    repo_id VARCHAR(24) PRIMARY KEY REFERENCES repos (id) ON DELETE CASCADE,
    mode    VARCHAR(8)  NOT NULL
);

CREATE TABLE access_requests (
    repo_id     VARCHAR(24) NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
    user_id     VARCHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status      VARCHAR(10) NOT NULL,  -- pending, accepted, rejected
    fields_json TEXT        NOT NULL,  -- what the requester filled in (the card's extra_gated_fields)
    reason      TEXT,                  -- a rejection's reason, shown to nobody but the owners
    created_at  BIGINT      NOT NULL,
    updated_at  BIGINT      NOT NULL,
    PRIMARY KEY (repo_id, user_id)
);
