-- Large files the hub makes itself from a repo's files (the Parquet export on refs/convert/parquet): served like the
-- repo's own LFS objects, but not its storage (usage and list_lfs_files read lfs_objects), and replaced when the
-- export is, so that garbage collection frees the old ones.
CREATE TABLE derived_lfs_objects (
    repo_id    VARCHAR(24) NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
    oid        VARCHAR(64) NOT NULL,
    size       BIGINT      NOT NULL,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (repo_id, oid)
);
CREATE INDEX derived_lfs_objects_oid ON derived_lfs_objects (oid);
