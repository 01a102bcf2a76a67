-- Collections: a namespace's curated lists of repos, papers and other collections. A collection's slug is
-- "<namespace>/<title slug>-<id>"; it is found by its id, so a new title changes the slug and old links keep working.
CREATE TABLE collections (
    id           VARCHAR(24)   PRIMARY KEY,
    namespace    VARCHAR(96)   NOT NULL,
    title        VARCHAR(200)  NOT NULL,
    description  VARCHAR(2000),
    private      BOOLEAN       NOT NULL,
    theme        VARCHAR(16)   NOT NULL,
    position     INTEGER       NOT NULL,
    created_at   BIGINT        NOT NULL,
    updated_at   BIGINT        NOT NULL,
    UNIQUE (namespace, title)
);

-- Repo items name the repo by its id, so that a renamed or moved repo stays in the collection, and a deleted one
-- leaves it (repo_id cascades; positions are read as ranks, so the gap closes).
CREATE TABLE collection_items (
    id             VARCHAR(24)   PRIMARY KEY,
    collection_id  VARCHAR(24)   NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    item_type      VARCHAR(16)   NOT NULL,   -- model, dataset, space, paper, collection
    item_ref       VARCHAR(64)   NOT NULL,   -- repos.id, collections.id, or a paper's arXiv id
    repo_id        VARCHAR(24)   REFERENCES repos (id) ON DELETE CASCADE,  -- item_ref again, for repo items
    position       INTEGER       NOT NULL,
    note           VARCHAR(1000),
    added_at       BIGINT        NOT NULL,
    UNIQUE (collection_id, item_type, item_ref)
);
CREATE INDEX collection_items_ref ON collection_items (item_type, item_ref);
