-- What the pickles in a large file would import when loaded, by the file's SHA-256: a file is scanned once, whatever
-- repos and paths hold it. imports_json: [{"module", "name", "safety"}]; problem: why part of it could not be read.
CREATE TABLE pickle_scans (
    sha256        VARCHAR(64)  PRIMARY KEY,
    highest       VARCHAR(16)  NOT NULL,   -- innocuous, suspicious, dangerous
    imports_json  TEXT         NOT NULL,
    problem       VARCHAR(500),
    scanned_at    BIGINT       NOT NULL
);
