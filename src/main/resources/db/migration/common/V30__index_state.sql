-- Which version of what the indexer reads from repos (RepoIndexer.FACTS_VERSION) the rows of repo_meta and
-- repo_tags were made with: a server that reads more (a new tag) re-indexes the repos of an older one at start.
CREATE TABLE index_state (
    name     VARCHAR(64)  PRIMARY KEY,
    version  INTEGER      NOT NULL
);
