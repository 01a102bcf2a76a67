-- What the pickles in a file would import when loaded, by content: a file is scanned once, whatever repos and paths
-- hold it. content_key: a large file's SHA-256, or "git:" and the blob id of a file stored in git itself.
-- imports_json: [{"module", "name", "safety"}]; problem: why part of it could not be read.
CREATE TABLE pickle_scans (
    content_key   VARCHAR(64)  PRIMARY KEY,
    highest       VARCHAR(16)  NOT NULL,   -- innocuous, suspicious, dangerous
    imports_json  TEXT         NOT NULL,
    problem       VARCHAR(500),
    scanned_at    BIGINT       NOT NULL
);

-- Repos whose branches the startup backfill has walked: after that, their commits and pushes reach the scanner.
CREATE TABLE pickle_scan_walks (
    repo_id    VARCHAR(24)  PRIMARY KEY REFERENCES repos (id) ON DELETE CASCADE,
    walked_at  BIGINT       NOT NULL
);
