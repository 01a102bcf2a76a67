-- Keeps tag_counts (V6) in step with repo_tags, including rows removed by ON DELETE CASCADE.
CREATE TRIGGER tag_counts_insert AFTER INSERT ON repo_tags BEGIN
    INSERT INTO tag_counts (tag, repos) VALUES (NEW.tag, 1)
        ON CONFLICT (tag) DO UPDATE SET repos = repos + 1;
END;

CREATE TRIGGER tag_counts_delete AFTER DELETE ON repo_tags BEGIN
    UPDATE tag_counts SET repos = repos - 1 WHERE tag = OLD.tag;
END;
