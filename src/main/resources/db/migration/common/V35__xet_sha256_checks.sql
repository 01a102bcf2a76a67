-- The SHA-256 of a file uploaded through Xet comes from the client's shard: a claim until Atrium has read the file
-- and hashed it (XetSha256Checks). Files Atrium made from LFS blobs are checked by construction. Only checked
-- values are trusted beyond the repo that sent them: an LFS upload of the same SHA-256 elsewhere reuses a Xet file
-- only when it is checked, and a wrong claim is replaced by the file's real SHA-256.
ALTER TABLE xet_files ADD COLUMN sha256_checked BOOLEAN NOT NULL DEFAULT FALSE;
