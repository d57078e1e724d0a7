-- +goose Up
-- Which articles' search attributes changed, in commit order (package
-- internal/search). Each instance holds the outlet, language and
-- publication time of every indexed article in memory, with the other
-- outlets that list it, so that filters, facets and coverage run on the
-- full-text index alone (docCache); it applies the changes logged here
-- since the last it saw. The package logs what it indexes itself
-- (writeDoc, writeDocs); triggers log what it does not write: deletions
-- (an article's deletion cascades to its entry) and other outlets'
-- listings, which ingest writes. (A trigger on INSERT or UPDATE of
-- search_docs, even an empty one, tripled the cost of indexing an article
-- with modernc.org/sqlite, hence the explicit log there.) AUTOINCREMENT
-- keeps seq growing after the log is pruned, so an instance behind the
-- pruned part notices and reloads.
CREATE TABLE search_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL
);
-- +goose StatementBegin
CREATE TRIGGER search_changes_docs_delete AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_changes (article_id) VALUES (old.article_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_changes_listings_insert AFTER INSERT ON article_outlets BEGIN
    INSERT INTO search_changes (article_id) VALUES (new.article_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_changes_listings_update AFTER UPDATE OF article_id, outlet_id ON article_outlets BEGIN
    INSERT INTO search_changes (article_id) VALUES (old.article_id);
    INSERT INTO search_changes (article_id) VALUES (new.article_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_changes_listings_delete AFTER DELETE ON article_outlets BEGIN
    INSERT INTO search_changes (article_id) VALUES (old.article_id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER search_changes_listings_delete;
DROP TRIGGER search_changes_listings_update;
DROP TRIGGER search_changes_listings_insert;
DROP TRIGGER search_changes_docs_delete;
DROP TABLE search_changes;
