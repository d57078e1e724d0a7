-- +goose Up
-- An article inserted without a story is its own story: the row is
-- written once with story_id = id. The intake used to insert it and then
-- UPDATE story_id, which on PostgreSQL writes the row a second time with a
-- new entry in each of the table's indexes (story_id is indexed, so the
-- update is never HOT), inside the transaction holding the story lock.
-- +goose StatementBegin
CREATE FUNCTION articles_own_story() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.story_id := COALESCE(NEW.story_id, NEW.id);
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER articles_own_story BEFORE INSERT ON articles
    FOR EACH ROW WHEN (NEW.story_id IS NULL) EXECUTE FUNCTION articles_own_story();
UPDATE articles SET story_id = id WHERE story_id IS NULL;

-- +goose Down
DROP TRIGGER articles_own_story ON articles;
DROP FUNCTION articles_own_story();
