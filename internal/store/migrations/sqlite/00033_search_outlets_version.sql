-- +goose Up
-- A counter of changes to outlets (package internal/search). Each
-- instance keeps the outlets in memory beside its copy of the articles'
-- search attributes (docCache), and rereads them only when this counter
-- has moved: searches name and filter by outlets on every page, while
-- the roster changes a few times a year. Every column counts, since
-- searches show keys, names, kinds and orientations and filter by them.
CREATE TABLE search_outlets_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO search_outlets_version (id) VALUES (1);
-- +goose StatementBegin
CREATE TRIGGER search_outlets_version_ai AFTER INSERT ON outlets BEGIN
    UPDATE search_outlets_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_outlets_version_au AFTER UPDATE ON outlets BEGIN
    UPDATE search_outlets_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_outlets_version_ad AFTER DELETE ON outlets BEGIN
    UPDATE search_outlets_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER search_outlets_version_ad;
DROP TRIGGER search_outlets_version_au;
DROP TRIGGER search_outlets_version_ai;
DROP TABLE search_outlets_version;
