-- +goose Up
-- PostgreSQL only: long values compressed with lz4 instead of pglz (see
-- migrations/postgres/00028). SQLite does not compress its values.
SELECT 1;

-- +goose Down
SELECT 1;
