-- +goose Up
-- PostgreSQL only: the statistics of search_docs.tsv (see
-- migrations/postgres/00036). SQLite's full-text index counts matches
-- itself.
SELECT 1;

-- +goose Down
SELECT 1;
