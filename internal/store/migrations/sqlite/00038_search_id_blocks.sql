-- +goose Up
-- PostgreSQL only: blocks of article IDs in search_docs.tsv (see
-- migrations/postgres/00038). SQLite's full-text index reads its newest
-- matches in order itself.
SELECT 1;

-- +goose Down
SELECT 1;
