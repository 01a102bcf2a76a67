-- Substring search over repo ids ("bert" finds google/bert-base-uncased) without reading every row: an FTS5 trigram
-- index, which answers LIKE '%...%' for patterns of 3 characters or more. SQLite only (this folder is applied to
-- SQLite databases alone); on PostgreSQL a pg_trgm GIN index on the same expression serves the portable query.
-- Its rowid is the repos row's rowid; triggers keep it in step with creates, moves and deletes.
CREATE VIRTUAL TABLE repo_search USING fts5(full_id, tokenize = 'trigram');

INSERT INTO repo_search (rowid, full_id) SELECT rowid, namespace || '/' || name FROM repos;

CREATE TRIGGER repo_search_insert AFTER INSERT ON repos BEGIN
    INSERT INTO repo_search (rowid, full_id) VALUES (NEW.rowid, NEW.namespace || '/' || NEW.name);
END;

CREATE TRIGGER repo_search_delete AFTER DELETE ON repos BEGIN
    DELETE FROM repo_search WHERE rowid = OLD.rowid;
END;

CREATE TRIGGER repo_search_move AFTER UPDATE OF namespace, name ON repos BEGIN
    DELETE FROM repo_search WHERE rowid = OLD.rowid;
    INSERT INTO repo_search (rowid, full_id) VALUES (NEW.rowid, NEW.namespace || '/' || NEW.name);
END;
