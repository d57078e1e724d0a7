-- +goose Up
-- SQLite only: the counter of changes to outlets that each instance's
-- in-memory copy of the outlets follows (see migrations/sqlite/00033).
-- On PostgreSQL searches read the outlets with the rest of the query, as
-- they read search_docs (see 00026), and hold nothing in memory.
SELECT 1;

-- +goose Down
SELECT 1;
