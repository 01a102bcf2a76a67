-- The id as the listing's substring search sees it, kept beside the sort columns so that PostgreSQL can filter a
-- walk of a sort's index on it without looking up each repo (search.RepoListing#walk; covering indexes in
-- db/migration/postgresql V9). Written with the same expression wherever repos are indexed or moved.
ALTER TABLE repo_meta ADD COLUMN search_key VARCHAR(200);

UPDATE repo_meta SET search_key = (SELECT LOWER(r.namespace || '/' || r.name) FROM repos r WHERE r.id = repo_meta.repo_id);
