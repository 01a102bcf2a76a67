-- Bytes served per owner and day (file downloads: resolve, raw and LFS), for usage and statements.
CREATE TABLE bandwidth_days (
    namespace VARCHAR(96) NOT NULL,
    day       INTEGER     NOT NULL,
    bytes     BIGINT      NOT NULL,
    PRIMARY KEY (namespace, day)
);
