-- Keeps listed_tag_counts (V21) in step with repo_tags, including rows removed by ON DELETE CASCADE (which carry
-- their listed_type, so no repos row is needed), and with repos turning private or public.
CREATE TRIGGER listed_tag_counts_insert AFTER INSERT ON repo_tags WHEN NEW.listed_type IS NOT NULL BEGIN
    INSERT INTO listed_tag_counts (type, tag, repos) VALUES (NEW.listed_type, NEW.tag, 1)
        ON CONFLICT (type, tag) DO UPDATE SET repos = repos + 1;
END;

CREATE TRIGGER listed_tag_counts_delete AFTER DELETE ON repo_tags WHEN OLD.listed_type IS NOT NULL BEGIN
    UPDATE listed_tag_counts SET repos = repos - 1 WHERE type = OLD.listed_type AND tag = OLD.tag;
END;

CREATE TRIGGER listed_tag_counts_update AFTER UPDATE OF listed_type ON repo_tags BEGIN
    UPDATE listed_tag_counts SET repos = repos - 1
        WHERE OLD.listed_type IS NOT NULL AND type = OLD.listed_type AND tag = OLD.tag;
    INSERT INTO listed_tag_counts (type, tag, repos) SELECT NEW.listed_type, NEW.tag, 1 WHERE NEW.listed_type IS NOT NULL
        ON CONFLICT (type, tag) DO UPDATE SET repos = repos + 1;
END;

CREATE TRIGGER repo_tags_follow_visibility AFTER UPDATE OF private ON repos WHEN NEW.private IS NOT OLD.private BEGIN
    UPDATE repo_tags SET listed_type = CASE WHEN NEW.private THEN NULL ELSE NEW.type END WHERE repo_id = NEW.id;
END;
