-- Rows that whatever takes a name updates first, in its transaction: on PostgreSQL the row lock makes them take
-- turns, so two names that differ only in case cannot both pass the check before either is inserted (the unique
-- keys stay exact, see V40). 'repo': creations, duplications and moves of repos; 'namespace': new users and
-- organizations, which share one namespace. SQLite lets one writer at a time anyway.
CREATE TABLE name_locks (
    kind  VARCHAR(16) PRIMARY KEY,
    taken BIGINT      NOT NULL
);
INSERT INTO name_locks (kind, taken) VALUES ('repo', 0);
INSERT INTO name_locks (kind, taken) VALUES ('namespace', 0);
