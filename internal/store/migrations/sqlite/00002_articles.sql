-- +goose Up
-- Articles are what the monitoring desk collects from outlets: fetched from
-- feeds, added by URL, or pasted (print editions, TV transcripts, Telegram
-- posts). Text is stored as written; search indexes a normalized copy.
CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    outlet_id     INTEGER NOT NULL REFERENCES outlets (id),
    url           TEXT NOT NULL DEFAULT '',
    canonical_url TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    byline        TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT '',
    published_at  TIMESTAMP,
    fetched_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    text          TEXT NOT NULL DEFAULT '',
    html          TEXT NOT NULL DEFAULT '',
    lead_image    TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT 'feed' CHECK (source IN ('feed', 'url', 'paste', 'import')),
    content_hash  TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- One article per canonical URL; pasted articles have none.
CREATE UNIQUE INDEX articles_canonical_url ON articles (canonical_url) WHERE canonical_url <> '';
CREATE INDEX articles_outlet_published ON articles (outlet_id, published_at);
CREATE INDEX articles_published ON articles (published_at);
CREATE INDEX articles_content_hash ON articles (content_hash) WHERE content_hash <> '';

-- +goose Down
DROP TABLE articles;
