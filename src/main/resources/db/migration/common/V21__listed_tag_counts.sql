-- Tag counts for the listings' filter sidebar: per repo type, over public repos only. A private repo's tags must
-- neither show nor be counted in a listing everyone can read, and /models must not count datasets' tags. tag_counts
-- (V6) stays the planner's selectivity estimate over all repos. Kept exact by triggers (db/migration/{vendor} V22).
ALTER TABLE repo_tags ADD COLUMN listed_type VARCHAR(16);  -- the repo's type while it is public, else NULL

UPDATE repo_tags SET listed_type = (SELECT r.type FROM repos r WHERE r.id = repo_tags.repo_id AND r.private = FALSE);

CREATE TABLE listed_tag_counts (
    type  VARCHAR(16)  NOT NULL,
    tag   VARCHAR(200) NOT NULL,
    repos BIGINT       NOT NULL,
    PRIMARY KEY (type, tag)
);

INSERT INTO listed_tag_counts (type, tag, repos)
    SELECT listed_type, tag, COUNT(*) FROM repo_tags WHERE listed_type IS NOT NULL GROUP BY listed_type, tag;
