-- What discovery needs about each repo, derived from its default branch on every change (API commit or push) by
-- search.RepoIndexer, plus the counters that change without a commit. One row per repo; listing sorts and filters
-- on this table joined with repos, so every sort key has an index.
CREATE TABLE repo_meta (
    repo_id            VARCHAR(24)  PRIMARY KEY REFERENCES repos (id) ON DELETE CASCADE,
    sha                VARCHAR(40),             -- the indexed commit of the default branch; NULL for an empty repo
    last_modified      BIGINT       NOT NULL,   -- that commit's time, epoch ms
    pipeline_tag       VARCHAR(64),
    library_name       VARCHAR(64),
    card_json          TEXT,                    -- the README's YAML front matter as JSON (cardData), unknown keys kept
    tags_json          TEXT         NOT NULL,   -- the repo's tags as the Hub shows them: card tags plus derived ones
    extra_json         TEXT         NOT NULL,   -- derived from files: config, safetensors, gguf; and card warnings
    likes              INTEGER      NOT NULL DEFAULT 0,
    downloads          BIGINT       NOT NULL DEFAULT 0,   -- last 30 days, refreshed as downloads are counted
    downloads_all_time BIGINT       NOT NULL DEFAULT 0,
    trending_score     BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX repo_meta_downloads ON repo_meta (downloads, repo_id);
CREATE INDEX repo_meta_likes ON repo_meta (likes, repo_id);
CREATE INDEX repo_meta_trending ON repo_meta (trending_score, repo_id);
CREATE INDEX repo_meta_modified ON repo_meta (last_modified, repo_id);
CREATE INDEX repos_created ON repos (created_at, id);

-- One row per tag of a repo, for the ANDed `filter` of the listing endpoints.
CREATE TABLE repo_tags (
    tag     VARCHAR(200) NOT NULL,
    repo_id VARCHAR(24)  NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
    PRIMARY KEY (tag, repo_id)
);
CREATE INDEX repo_tags_repo ON repo_tags (repo_id);

-- Likes: one per user and repo, so liking twice counts once.
CREATE TABLE likes (
    user_id    VARCHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    repo_id    VARCHAR(24) NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (user_id, repo_id)
);
CREATE INDEX likes_repo ON likes (repo_id, created_at);

-- Downloads per repo and UTC day (days since the epoch), as the Hub counts them (see search.DownloadCounter).
CREATE TABLE download_days (
    repo_id VARCHAR(24) NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
    day     INTEGER     NOT NULL,
    count   BIGINT      NOT NULL,
    PRIMARY KEY (repo_id, day)
);
