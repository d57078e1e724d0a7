-- +goose Up
-- An article inserted without a story is its own story (story_id = id),
-- as on PostgreSQL, where a BEFORE trigger sets it so that the row is
-- written once. SQLite's triggers cannot change the row being inserted:
-- this one updates it inside the insert, which spares the intake a
-- statement of its own per article.
-- +goose StatementBegin
CREATE TRIGGER articles_own_story AFTER INSERT ON articles
    FOR EACH ROW WHEN NEW.story_id IS NULL
BEGIN
    UPDATE articles SET story_id = NEW.id WHERE id = NEW.id;
END;
-- +goose StatementEnd
UPDATE articles SET story_id = id WHERE story_id IS NULL;

-- +goose Down
DROP TRIGGER articles_own_story;
