-- +goose Up
-- Email digests of saved topics, an index for coverage and the storage
-- of search_docs.tsv (package internal/search).
--
-- digest_email is where a topic's digest goes ('' for none).
-- last_digest_at is when the newest digest was begun: a run claims a topic
-- by moving it forward, and only when it is older than the lease (see
-- search.SendDigests), so two runs never both send it.
-- digested_at marks an alert once a digest that listed it was sent, so no
-- later digest repeats it.
ALTER TABLE search_topics ADD COLUMN digest_email TEXT NOT NULL DEFAULT '';
ALTER TABLE search_topics ADD COLUMN last_digest_at TIMESTAMPTZ;
ALTER TABLE search_alerts ADD COLUMN digested_at TIMESTAMPTZ;

-- Coverage and facets count matches by outlet, day and language. For a
-- query of filters alone this index answers them without reading the
-- table, in the order of the GROUP BY, so no sort is needed either.
CREATE INDEX search_docs_cells ON search_docs (outlet_id, day, lang);
-- lang: is the one filter no index served; it is needed to find the
-- articles that filters select without reading the table.
CREATE INDEX search_docs_lang ON search_docs (lang, published_unix);

-- Keep each tsvector in its row, compressed, rather than in the TOAST
-- table. The planner costs a scan by the pages of the table proper: with
-- the tsvectors out of line it took search_docs for small (57 MB of 352 MB
-- at 100,000 articles) and chose to scan it all, fetching every tsvector
-- from TOAST, over the GIN index (lang:en talks: 800 ms instead of 80 ms).
-- Rows written before this migration move when Reindex rewrites them.
ALTER TABLE search_docs ALTER COLUMN tsv SET STORAGE MAIN;

-- +goose Down
DROP INDEX search_docs_lang;
DROP INDEX search_docs_cells;
ALTER TABLE search_docs ALTER COLUMN tsv SET STORAGE EXTENDED;
ALTER TABLE search_alerts DROP COLUMN digested_at;
ALTER TABLE search_topics DROP COLUMN last_digest_at;
ALTER TABLE search_topics DROP COLUMN digest_email;
