-- What a Space's writers set about its app: paused (it does not start until restarted) and how long it may go
-- unused before it sleeps (null: the hub's --spaces-idle-minutes; -1: never for idleness).
CREATE TABLE space_controls (
    repo_id        VARCHAR(24)  PRIMARY KEY REFERENCES repos (id) ON DELETE CASCADE,
    paused         BOOLEAN      NOT NULL,
    sleep_seconds  BIGINT
);
