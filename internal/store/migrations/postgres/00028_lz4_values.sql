-- +goose Up
-- The long values — an article's text (and pasted HTML), a revision's
-- diff, a search entry's tsvector — are compressed with LZ4 rather than
-- PostgreSQL's default pglz when TOAST compresses them (above 2 kB). pglz
-- is the server's largest cost of storing a fetched article: about 1.5 ms
-- of CPU for a 30 kB text, against 0.3 ms for lz4 (docs/benchmarks.md,
-- issue 16, item 1), inside the transaction that holds the story lock.
-- Values stored before keep their compression (they are read either way);
-- a server built without lz4 keeps pglz.
-- +goose StatementBegin
DO $$
BEGIN
    EXECUTE 'ALTER TABLE articles ALTER COLUMN text SET COMPRESSION lz4, ALTER COLUMN html SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE article_revisions ALTER COLUMN diff SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE search_docs ALTER COLUMN tsv SET COMPRESSION lz4';
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this server has no lz4 compression: long values stay compressed with pglz';
END
$$;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE search_docs ALTER COLUMN tsv SET COMPRESSION DEFAULT;
ALTER TABLE article_revisions ALTER COLUMN diff SET COMPRESSION DEFAULT;
ALTER TABLE articles ALTER COLUMN text SET COMPRESSION DEFAULT, ALTER COLUMN html SET COMPRESSION DEFAULT;
