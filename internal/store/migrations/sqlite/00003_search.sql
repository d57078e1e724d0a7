-- +goose Up
-- The search index (package internal/search). search_docs holds, per
-- indexed article, the columns that filters, facets and coverage read, so
-- those never touch the wide articles rows; day is the UTC publication
-- date and published_unix its instant (publication time, else fetch time).
CREATE TABLE search_docs (
    article_id     INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    outlet_id      INTEGER NOT NULL,
    lang           TEXT NOT NULL DEFAULT '',
    published_unix INTEGER NOT NULL,
    day            TEXT NOT NULL CHECK (length(day) = 10),
    indexed_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX search_docs_published ON search_docs (published_unix, article_id);
CREATE INDEX search_docs_outlet ON search_docs (outlet_id, published_unix);

-- The full-text index over text.IndexText(title) and text.IndexText(text),
-- rowid = articles.id. Contentless: the normalized text is not stored
-- twice, and contentless_delete lets a reindex replace a row. The text is
-- already normalized in Go, so the tokenizer only splits at spaces and
-- must not fold diacritics on its own.
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
-- +goose StatementBegin
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
    DELETE FROM search_fts WHERE rowid = old.article_id;
END;
-- +goose StatementEnd

-- Saved topics: a named query whose new matches raise alerts.
-- start_article_id is the newest article when the topic was saved (older
-- articles never alert); last_seen_article_id is how far CheckTopics got.
CREATE TABLE search_topics (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE CHECK (name <> ''),
    query                TEXT NOT NULL CHECK (query <> ''),
    created_by           TEXT NOT NULL DEFAULT '',
    start_article_id     INTEGER NOT NULL DEFAULT 0,
    last_seen_article_id INTEGER NOT NULL DEFAULT 0,
    created_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- One alert per topic and article, whatever the number of checks.
CREATE TABLE search_alerts (
    topic_id   INTEGER NOT NULL REFERENCES search_topics (id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    seen_at    TIMESTAMP,
    PRIMARY KEY (topic_id, article_id)
);
CREATE INDEX search_alerts_article ON search_alerts (article_id);

-- +goose Down
DROP TABLE search_alerts;
DROP TABLE search_topics;
DROP TRIGGER search_docs_delete;
DROP TABLE search_fts;
DROP TABLE search_docs;
