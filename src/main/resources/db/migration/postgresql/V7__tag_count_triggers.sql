-- Keeps tag_counts (V6) in step with repo_tags, including rows removed by ON DELETE CASCADE.
CREATE FUNCTION tag_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO tag_counts (tag, repos) VALUES (NEW.tag, 1)
            ON CONFLICT (tag) DO UPDATE SET repos = tag_counts.repos + 1;
        RETURN NEW;
    END IF;
    UPDATE tag_counts SET repos = repos - 1 WHERE tag = OLD.tag;
    RETURN OLD;
END;
$$;

CREATE TRIGGER tag_counts_follow AFTER INSERT OR DELETE ON repo_tags
    FOR EACH ROW EXECUTE FUNCTION tag_counts_follow();
