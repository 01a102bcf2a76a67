-- Xet storage (chunk-level deduplication). Portable SQL, as V1. Hashes in the Xet string form (api.md, 'Converting
-- Hashes to Strings'); sha256 as the ordinary hex digest of LFS pointers.
-- Hashes are stored in the Xet string form (64 lowercase hex characters, api.md "Converting Hashes to Strings"),
-- the form every API path and JSON body uses, so no conversion happens between the database and the wire. sha256 is
-- the ordinary hex digest, as in git LFS pointers (MerkleHash.toHex() of the shard's sha256 field gives exactly that).
-- Content hashes are natural keys: they are computed by the application, never by the database.

-- One row per stored xorb (POST /v1/xorbs/default/{hash}). Xorbs are content-addressed and shared by all repos,
-- like blobs: access is granted through files, not xorbs.
CREATE TABLE xet_xorbs (
    hash              VARCHAR(64)  PRIMARY KEY,
    serialized_length BIGINT       NOT NULL,  -- bytes of the stored object: HEAD xorb Content-Length, dedup answers
    unpacked_length   BIGINT       NOT NULL,  -- sum of the chunks' uncompressed lengths (num_bytes_in_cas)
    chunk_count       INTEGER      NOT NULL,
    blob_key          VARCHAR(200) NOT NULL,  -- where the BlobStore keeps the bytes
    uploaded_by       VARCHAR(24)  REFERENCES users (id) ON DELETE SET NULL,
    created_at        BIGINT       NOT NULL
);

-- The chunks of each xorb, in order: what reconstruction needs to turn chunk ranges into byte ranges of the
-- serialized object (packed_*), and what the global dedup answer lists (chunk_hash, unpacked_*).
CREATE TABLE xet_xorb_chunks (
    xorb_hash        VARCHAR(64) NOT NULL REFERENCES xet_xorbs (hash) ON DELETE CASCADE,
    chunk_index      INTEGER     NOT NULL,
    chunk_hash       VARCHAR(64) NOT NULL,
    unpacked_offset  BIGINT      NOT NULL,  -- offset in the uncompressed stream (shard chunk_byte_range_start)
    unpacked_length  INTEGER     NOT NULL,
    packed_offset    BIGINT      NOT NULL,  -- offset of the chunk record (8-byte header + data) in the object
    packed_length    INTEGER     NOT NULL,  -- record length, header included
    -- Whether GET /v1/chunks/default-merkledb/{chunk_hash} finds this chunk: its hash is 0 mod 1024, the client
    -- flagged it, or it starts a registered file (GlobalDedup.chunksToIndex). Other chunks answer 404, as upstream.
    dedup_eligible   BOOLEAN     NOT NULL,
    PRIMARY KEY (xorb_hash, chunk_index)
);
-- The global dedup lookup. Partial, because only about 1 chunk in 1024 is eligible: the index stays small while
-- every chunk is still stored. Queries must say "AND dedup_eligible" for either database to use it:
--   SELECT xorb_hash, chunk_index FROM xet_xorb_chunks WHERE chunk_hash = ? AND dedup_eligible
CREATE INDEX xet_xorb_chunks_dedup ON xet_xorb_chunks (chunk_hash) WHERE dedup_eligible;

-- One row per registered file (a file info block of an accepted shard). The reconstruction is immutable: the file
-- hash is derived from the content.
CREATE TABLE xet_files (
    file_hash   VARCHAR(64) PRIMARY KEY,
    sha256      VARCHAR(64),              -- from FileMetadataExt; NULL when the client sent none (buckets)
    size        BIGINT      NOT NULL,     -- sum of the terms' unpacked lengths: HEAD /v1/files Content-Length
    term_count  INTEGER     NOT NULL,
    created_at  BIGINT      NOT NULL
);
-- resolve: git LFS pointer (sha256) -> X-Xet-Hash of the file.
CREATE INDEX xet_files_sha256 ON xet_files (sha256);

-- Which repo, and who, registered a file. A token for one repo reads only files registered in that repo, even though
-- identical content is stored once (the same rule as lfs_objects).
CREATE TABLE xet_file_registrations (
    file_hash   VARCHAR(64) NOT NULL REFERENCES xet_files (file_hash) ON DELETE CASCADE,
    repo_id     VARCHAR(24) NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
    user_id     VARCHAR(24) REFERENCES users (id) ON DELETE SET NULL,
    created_at  BIGINT      NOT NULL,
    PRIMARY KEY (file_hash, repo_id)
);
CREATE INDEX xet_file_registrations_repo ON xet_file_registrations (repo_id);

-- The terms of each file, in order. file_offset (where the term starts in the file) is derivable, but stored so a
-- Range request reads only the terms it overlaps:
--   ... WHERE file_hash = ? AND file_offset < :end AND file_offset + unpacked_length > :start ORDER BY term_index
-- Verification hashes are checked when the shard is accepted and not kept.
CREATE TABLE xet_file_terms (
    file_hash        VARCHAR(64) NOT NULL REFERENCES xet_files (file_hash) ON DELETE CASCADE,
    term_index       INTEGER     NOT NULL,
    xorb_hash        VARCHAR(64) NOT NULL REFERENCES xet_xorbs (hash),
    chunk_start      INTEGER     NOT NULL,  -- [chunk_start, chunk_end)
    chunk_end        INTEGER     NOT NULL,
    unpacked_length  BIGINT      NOT NULL,
    file_offset      BIGINT      NOT NULL,
    PRIMARY KEY (file_hash, term_index)
);
-- Which files use a xorb (garbage collection; refusing to delete a referenced xorb).
CREATE INDEX xet_file_terms_xorb ON xet_file_terms (xorb_hash);

-- Accepted shards, keyed by the SHA-256 of the uploaded bytes: makes a re-upload answer {"result": 0} ("already
-- exists") without redoing the work, and records who registered what. Optional: the file tables alone suffice to
-- serve downloads.
CREATE TABLE xet_shards (
    sha256      VARCHAR(64) PRIMARY KEY,
    size        BIGINT      NOT NULL,
    repo_id     VARCHAR(24) REFERENCES repos (id) ON DELETE SET NULL,
    user_id     VARCHAR(24) REFERENCES users (id) ON DELETE SET NULL,
    created_at  BIGINT      NOT NULL
);
