-- Keeps listed_tag_counts (V21) in step with repo_tags, including rows removed by ON DELETE CASCADE (which carry
-- their listed_type, so no repos row is needed), and with repos turning private or public.
CREATE FUNCTION listed_tag_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.listed_type IS NOT NULL THEN
            UPDATE listed_tag_counts SET repos = repos - 1 WHERE type = OLD.listed_type AND tag = OLD.tag;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.listed_type IS NOT NULL THEN
            INSERT INTO listed_tag_counts (type, tag, repos) VALUES (NEW.listed_type, NEW.tag, 1)
                ON CONFLICT (type, tag) DO UPDATE SET repos = listed_tag_counts.repos + 1;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER listed_tag_counts_follow AFTER INSERT OR DELETE OR UPDATE OF listed_type ON repo_tags
    FOR EACH ROW EXECUTE FUNCTION listed_tag_counts_follow();

CREATE FUNCTION repo_tags_follow_visibility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.private IS DISTINCT FROM OLD.private THEN
        UPDATE repo_tags SET listed_type = CASE WHEN NEW.private THEN NULL ELSE NEW.type END WHERE repo_id = NEW.id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER repo_tags_follow_visibility AFTER UPDATE OF private ON repos
    FOR EACH ROW EXECUTE FUNCTION repo_tags_follow_visibility();
