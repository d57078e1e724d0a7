-- +goose Up
-- Monitoring (package internal/ingest): the feeds the desk polls, every
-- fetch kept as WARC evidence, what each feed announced, and the articles'
-- fingerprints, stories and edits.

-- A feed is polled on its own schedule. The columns after format are the
-- poller's memory: HTTP validators and the body hash (to skip unchanged
-- feeds), the adaptive interval, and the health an analyst reads. A feed is
-- never disabled: failures only push next_check_at back, at most 24 hours.
CREATE TABLE feeds (
    id                   INTEGER PRIMARY KEY,
    outlet_id            INTEGER NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    url                  TEXT NOT NULL UNIQUE CHECK (url <> ''),
    title                TEXT NOT NULL DEFAULT '',
    format               TEXT NOT NULL DEFAULT '',
    ignore_http_cache    BOOLEAN NOT NULL DEFAULT FALSE,
    etag                 TEXT NOT NULL DEFAULT '',
    last_modified        TEXT NOT NULL DEFAULT '',
    body_sha256          TEXT NOT NULL DEFAULT '',
    interval_seconds     INTEGER NOT NULL DEFAULT 3600,
    next_check_at        TIMESTAMP NOT NULL,
    last_checked_at      TIMESTAMP,
    last_success_at      TIMESTAMP,
    last_error           TEXT NOT NULL DEFAULT '',
    last_error_kind      TEXT NOT NULL DEFAULT '',
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failure_weight       INTEGER NOT NULL DEFAULT 0,
    created_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX feeds_next_check ON feeds (next_check_at);
CREATE INDEX feeds_outlet ON feeds (outlet_id);

-- One row per HTTP exchange written to the WARC files: where the record is
-- (file, offset, length, record id) and its SHA-256 block digest.
CREATE TABLE captures (
    id             INTEGER PRIMARY KEY,
    url            TEXT NOT NULL,
    final_url      TEXT NOT NULL DEFAULT '',
    status         INTEGER NOT NULL DEFAULT 0,
    content_type   TEXT NOT NULL DEFAULT '',
    fetched_at     TIMESTAMP NOT NULL,
    warc_file      TEXT NOT NULL,
    warc_offset    INTEGER NOT NULL,
    warc_length    INTEGER NOT NULL,
    warc_record_id TEXT NOT NULL,
    warc_sha256    TEXT NOT NULL,
    body_sha256    TEXT NOT NULL DEFAULT '',
    feed_id        INTEGER REFERENCES feeds (id) ON DELETE SET NULL
);
CREATE INDEX captures_url ON captures (url);

-- What each feed announced, by canonical item URL. The row is written in
-- the same transaction as the feed's new validators and body hash, so an
-- item seen once is fetched even if the process dies before fetching it;
-- state says whether its article is stored (done), still to fetch
-- (pending, from next_attempt_at) or given up after repeated hard errors.
CREATE TABLE feed_entries (
    id              INTEGER PRIMARY KEY,
    feed_id         INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    url             TEXT NOT NULL CHECK (url <> ''),
    guid            TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',
    published_at    TIMESTAMP,
    language        TEXT NOT NULL DEFAULT '',
    discovered_at   TIMESTAMP NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_attempt_at TIMESTAMP,
    last_error      TEXT NOT NULL DEFAULT '',
    article_id      INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    UNIQUE (feed_id, url)
);
CREATE INDEX feed_entries_state ON feed_entries (state, next_attempt_at);
CREATE INDEX feed_entries_feed_published ON feed_entries (feed_id, published_at);
CREATE INDEX feed_entries_attempt ON feed_entries (last_attempt_at);

-- feed_id: the feed that announced it; capture_id: the archived page;
-- html holds the page as fetched (decoded to UTF-8), text the extracted
-- main text. simhash is the 64-bit text.Simhash stored as a signed
-- integer; sh_band0..3 are its four 16-bit quarters, indexed so that
-- near-duplicate candidates are found by index lookups (NULL when the
-- text is too short to fingerprint). story_id is the first article of its
-- story (itself when it is the original).
ALTER TABLE articles ADD COLUMN feed_id INTEGER REFERENCES feeds (id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN capture_id INTEGER REFERENCES captures (id);
ALTER TABLE articles ADD COLUMN source_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN charset TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN simhash INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN sh_band0 INTEGER;
ALTER TABLE articles ADD COLUMN sh_band1 INTEGER;
ALTER TABLE articles ADD COLUMN sh_band2 INTEGER;
ALTER TABLE articles ADD COLUMN sh_band3 INTEGER;
ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES articles (id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN next_refetch_at TIMESTAMP;
ALTER TABLE articles ADD COLUMN last_refetch_at TIMESTAMP;
ALTER TABLE articles ADD COLUMN gone_at TIMESTAMP;
CREATE INDEX articles_sh_band0 ON articles (sh_band0) WHERE sh_band0 IS NOT NULL;
CREATE INDEX articles_sh_band1 ON articles (sh_band1) WHERE sh_band1 IS NOT NULL;
CREATE INDEX articles_sh_band2 ON articles (sh_band2) WHERE sh_band2 IS NOT NULL;
CREATE INDEX articles_sh_band3 ON articles (sh_band3) WHERE sh_band3 IS NOT NULL;
CREATE INDEX articles_story ON articles (story_id);
-- Exact duplicates within an outlet (the same text under two URLs) are one
-- article; the same text from another outlet is a reprint, its own row.
CREATE UNIQUE INDEX articles_outlet_content ON articles (outlet_id, content_hash) WHERE content_hash <> '';

-- Every canonical URL under which an article was met (feed item, final URL
-- after redirects, rel=canonical), so a known URL is never fetched as new.
CREATE TABLE article_urls (
    url        TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX article_urls_article ON article_urls (article_id);

-- Edits and deletions seen when a quoted article was fetched again.
CREATE TABLE article_revisions (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('edited', 'deleted', 'restored')),
    seen_at      TIMESTAMP NOT NULL,
    capture_id   INTEGER REFERENCES captures (id),
    status       INTEGER NOT NULL DEFAULT 0,
    title_before TEXT NOT NULL DEFAULT '',
    title_after  TEXT NOT NULL DEFAULT '',
    hash_before  TEXT NOT NULL DEFAULT '',
    hash_after   TEXT NOT NULL DEFAULT '',
    diff         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX article_revisions_article ON article_revisions (article_id, seen_at);

-- +goose Down
DROP TABLE article_revisions;
DROP TABLE article_urls;
DROP INDEX articles_outlet_content;
DROP INDEX articles_story;
DROP INDEX articles_sh_band3;
DROP INDEX articles_sh_band2;
DROP INDEX articles_sh_band1;
DROP INDEX articles_sh_band0;
ALTER TABLE articles DROP COLUMN gone_at;
ALTER TABLE articles DROP COLUMN last_refetch_at;
ALTER TABLE articles DROP COLUMN next_refetch_at;
ALTER TABLE articles DROP COLUMN story_id;
ALTER TABLE articles DROP COLUMN sh_band3;
ALTER TABLE articles DROP COLUMN sh_band2;
ALTER TABLE articles DROP COLUMN sh_band1;
ALTER TABLE articles DROP COLUMN sh_band0;
ALTER TABLE articles DROP COLUMN simhash;
ALTER TABLE articles DROP COLUMN charset;
ALTER TABLE articles DROP COLUMN source_detail;
ALTER TABLE articles DROP COLUMN capture_id;
ALTER TABLE articles DROP COLUMN feed_id;
DROP TABLE feed_entries;
DROP TABLE captures;
DROP TABLE feeds;
