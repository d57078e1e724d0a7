-- +goose Up
-- What the search indexes were built with, and the index of the public
-- site's pages (package internal/search).
--
-- analyzer is the text.AnalyzerVersion that wrote search_docs' terms. An
-- archive indexed before the number was recorded starts at 0, so the first
-- start of an upgraded desk reindexes it (search.UpgradeIndex) instead of
-- letting queries, normalized with the new rules, miss articles.
-- published_version, published_analyzer and published_valid_until say
-- which content of the site published_docs holds: the site_version it was
-- read at, its analyzer, and when a scheduled page goes live (NULL: none).
CREATE TABLE search_state (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    analyzer              INTEGER NOT NULL DEFAULT 0,
    published_version     BIGINT NOT NULL DEFAULT 0,
    published_analyzer    INTEGER NOT NULL DEFAULT 0,
    published_valid_until TIMESTAMP
);
INSERT INTO search_state (id) VALUES (1);

-- The pages readers can see on the public site (analyses, editions,
-- events, authors): what a result shows, and its date for filters and
-- ties. Rebuilt whole, in one transaction, when the content changes.
CREATE TABLE published_docs (
    id        INTEGER PRIMARY KEY,
    path      TEXT NOT NULL UNIQUE CHECK (path <> ''),
    label     TEXT NOT NULL DEFAULT '',
    title     TEXT NOT NULL DEFAULT '',
    text      TEXT NOT NULL DEFAULT '',
    day       TEXT NOT NULL DEFAULT '',
    sort_unix INTEGER NOT NULL DEFAULT 0
);

-- Their words, as search_fts holds the archive's: text.IndexText of the
-- title and of the rest, rowid = published_docs.id.
CREATE VIRTUAL TABLE published_fts USING fts5(
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- +goose Down
DROP TABLE published_fts;
DROP TABLE published_docs;
DROP TABLE search_state;
