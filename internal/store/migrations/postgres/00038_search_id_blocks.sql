-- +goose Up
-- search_docs.tsv gains three lexemes per article that name blocks of
-- article IDs (internal/search/idbuckets.go): a search that estimates its
-- total asks the GIN index for its words and the blocks of the IDs it
-- samples in one tsquery. The index is rewritten at the next start
-- (search.UpgradeIndex reindexes when search_state.analyzer differs).
--
-- Rows of up to 8,160 bytes are kept uncompressed in the table: lz4 saved
-- 12% of the tsvectors' size at a million articles (34.0 against 38.8 MB
-- for 15,000 of them), and decompressing each tsvector that a search
-- tests for a phrase or ranks cost about 0.9 µs of its time
-- (docs/benchmarks.md, "PostgreSQL: ID blocks in the tsvector").
ALTER TABLE search_docs SET (toast_tuple_target = 8160);
UPDATE search_state SET analyzer = 0 WHERE id = 1;

-- +goose Down
ALTER TABLE search_docs RESET (toast_tuple_target);
UPDATE search_state SET analyzer = 0 WHERE id = 1;
