-- Account webhooks: a user's URL that Atrium POSTs to when a watched repo (or any repo of a watched user or
-- organization) changes. The secret is sent back in X-Webhook-Secret, so it is kept as given.
CREATE TABLE webhooks (
    id          VARCHAR(24)   PRIMARY KEY,
    user_id     VARCHAR(24)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url         VARCHAR(2000) NOT NULL,
    origin      VARCHAR(500)  NOT NULL,   -- Atrium's URL as the creator reached it: the links in payloads
    secret      VARCHAR(200),
    domains     VARCHAR(100)  NOT NULL,   -- comma-separated: repo, discussions
    disabled    BOOLEAN       NOT NULL,
    created_at  BIGINT        NOT NULL
);
CREATE INDEX webhooks_user ON webhooks (user_id);

CREATE TABLE webhook_watches (
    webhook_id  VARCHAR(24)   NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    kind        VARCHAR(16)   NOT NULL,   -- model, dataset, space, user, org
    name        VARCHAR(200)  NOT NULL,   -- a repo id, or a user's or organization's name
    PRIMARY KEY (webhook_id, kind, name)
);
CREATE INDEX webhook_watches_name ON webhook_watches (name);
