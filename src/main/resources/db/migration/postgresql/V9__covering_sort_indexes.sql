-- The sort indexes carry search_key (V8), so a listing that searches walks them index-only and looks up only the
-- rows whose id matches: about 2 ms for a window of 8000 rows where a lookup per row took 8 to 60 ms at a million
-- repos. SQLite walks differently (one streaming query) and keeps the plain indexes.
DROP INDEX repo_meta_downloads;
DROP INDEX repo_meta_likes;
DROP INDEX repo_meta_trending;
DROP INDEX repo_meta_modified;
CREATE INDEX repo_meta_downloads ON repo_meta (downloads, repo_id) INCLUDE (search_key);
CREATE INDEX repo_meta_likes ON repo_meta (likes, repo_id) INCLUDE (search_key);
CREATE INDEX repo_meta_trending ON repo_meta (trending_score, repo_id) INCLUDE (search_key);
CREATE INDEX repo_meta_modified ON repo_meta (last_modified, repo_id) INCLUDE (search_key);
