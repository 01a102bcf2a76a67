-- How many repos carry each tag: the listing planner's estimate of a filter's selectivity (search.RepoListing). Kept
-- exact by triggers on repo_tags, which are written per database (db/migration/{vendor}).
CREATE TABLE tag_counts (
    tag   VARCHAR(200) PRIMARY KEY,
    repos BIGINT       NOT NULL
);

INSERT INTO tag_counts (tag, repos) SELECT tag, COUNT(*) FROM repo_tags GROUP BY tag;
