-- Substring search over repo ids: a trigram index on the expression the listing query filters on, so
-- LOWER(namespace || '/' || name) LIKE '%bert%' is an index scan. pg_trgm is a trusted extension (PostgreSQL 13+):
-- the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX repos_search_trgm ON repos USING gin (LOWER(namespace || '/' || name) gin_trgm_ops);
