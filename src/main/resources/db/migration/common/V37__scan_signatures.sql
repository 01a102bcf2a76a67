-- The signatures clamd had when antivirus verdicts were last renewed for them (SignatureWatch): a new set of
-- signatures renews every verdict, at most once per --clamd-rescan-hours.
CREATE TABLE scan_signatures (
    kind VARCHAR(32) PRIMARY KEY,
    signatures VARCHAR(200) NOT NULL,
    renewed_at BIGINT NOT NULL
);
