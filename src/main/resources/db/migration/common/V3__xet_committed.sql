-- A file registered by a shard becomes readable through the CAS by read tokens only once a commit or push that
-- references it has landed; until then only write tokens of the repo (the uploader's) may reconstruct it.
ALTER TABLE xet_file_registrations ADD COLUMN committed BOOLEAN NOT NULL DEFAULT FALSE;
