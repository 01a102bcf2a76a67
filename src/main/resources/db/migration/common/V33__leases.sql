-- Work one node of a hub should do at a time (the start-up passes over every repo): a node holds the lease while it
-- works and gives it back after; one that crashed holds it until it expires.
CREATE TABLE leases (
    name       VARCHAR(64) PRIMARY KEY,
    holder     VARCHAR(64) NOT NULL,
    expires_at BIGINT      NOT NULL
);
