-- +goose Up
-- Two indexes on articles that no query reads: every lookup by content
-- hash also names the outlet (an outlet's copy of a text, the group's
-- stored copies), which articles_outlet_content serves, and no query
-- selects or orders articles by publication date alone (listings and
-- coverage by date read search_docs). Each cost a B-tree insert for every
-- article stored, the content hash's a random leaf page (on PostgreSQL
-- some 0.02 ms of the server's CPU an article at ingest: docs/benchmarks.md,
-- issue 16, round 12). articles_outlet_published stays: it is also the
-- index of the foreign key to outlets.
DROP INDEX articles_content_hash;
DROP INDEX articles_published;

-- +goose Down
CREATE INDEX articles_published ON articles (published_at);
CREATE INDEX articles_content_hash ON articles (content_hash) WHERE content_hash <> '';
