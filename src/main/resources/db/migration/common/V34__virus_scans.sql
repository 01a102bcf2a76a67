-- ClamAV's verdicts (the Hub's avScan), by content as pickle_scans: a file is scanned once, whatever repos hold it.
-- outcome: clean, infected, or too_large (past clamd's StreamMaxLength: not scanned); virus_names: one per line;
-- engine: clamd's VERSION answer (its version and its signatures'), for rescans when signatures change.
CREATE TABLE av_scans (
    content_key  VARCHAR(64)    PRIMARY KEY,
    outcome      VARCHAR(16)    NOT NULL,
    virus_names  VARCHAR(1000),
    engine       VARCHAR(200)   NOT NULL,
    scanned_at   BIGINT         NOT NULL
);

-- Repos whose branches the start-up pass has walked, per kind of scan ("pickle", "antivirus"): a hub that starts
-- scanning for viruses walks its repos once more for that scan alone.
CREATE TABLE scan_walks (
    kind       VARCHAR(16)  NOT NULL,
    repo_id    VARCHAR(24)  NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
    walked_at  BIGINT       NOT NULL,
    PRIMARY KEY (kind, repo_id)
);
INSERT INTO scan_walks (kind, repo_id, walked_at) SELECT 'pickle', repo_id, walked_at FROM pickle_scan_walks;
DROP TABLE pickle_scan_walks;
