-- One row that every creation, duplication and move of a repo updates first, in its transaction: on PostgreSQL
-- its row lock makes them take turns, so two ids that differ only in case cannot both pass the check before
-- either is inserted (the unique key stays exact, see V40). SQLite lets one writer at a time anyway.
CREATE TABLE repo_name_lock (
    id    INTEGER PRIMARY KEY,
    taken BIGINT  NOT NULL
);
INSERT INTO repo_name_lock (id, taken) VALUES (1, 0);
