-- +goose Up
-- SQLite only: the log of changed search attributes that each instance's
-- in-memory copy of them follows (see migrations/sqlite/00026). On
-- PostgreSQL, filters, facets and coverage read search_docs, whose rows
-- the full-text match reads anyway (the tsvector is stored in them), so
-- there is nothing to keep in memory and nothing to log.
SELECT 1;

-- +goose Down
SELECT 1;
