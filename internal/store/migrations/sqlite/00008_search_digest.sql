-- +goose Up
-- Email digests of saved topics, and an index for coverage (package
-- internal/search).
--
-- digest_email is where a topic's digest goes ('' for none).
-- last_digest_at is when the newest digest was begun: a run claims a topic
-- by moving it forward, and only when it is older than the lease (see
-- search.SendDigests), so two runs never both send it.
-- digested_at marks an alert once a digest that listed it was sent, so no
-- later digest repeats it.
ALTER TABLE search_topics ADD COLUMN digest_email TEXT NOT NULL DEFAULT '';
ALTER TABLE search_topics ADD COLUMN last_digest_at TIMESTAMP;
ALTER TABLE search_alerts ADD COLUMN digested_at TIMESTAMP;

-- Coverage and facets count matches by outlet, day and language. For a
-- query of filters alone this index answers them without reading the
-- table, in the order of the GROUP BY, so no sort is needed either.
CREATE INDEX search_docs_cells ON search_docs (outlet_id, day, lang);
-- lang: is the one filter no index served; it is needed to find the
-- articles that filters select without reading the table.
CREATE INDEX search_docs_lang ON search_docs (lang, published_unix);

-- +goose Down
DROP INDEX search_docs_lang;
DROP INDEX search_docs_cells;
ALTER TABLE search_alerts DROP COLUMN digested_at;
ALTER TABLE search_topics DROP COLUMN last_digest_at;
ALTER TABLE search_topics DROP COLUMN digest_email;
