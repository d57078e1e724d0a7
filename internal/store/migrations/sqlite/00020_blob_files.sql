-- +goose Up
-- Files written to an instance's local spool before they reach the shared
-- blob store (internal/blobs). While a file is 'spooled' only the instance
-- named here holds it, and serves it to the others at address (its
-- internal base URL); once 'uploaded' every instance reads it from the
-- blob store. Files that never had a spool (the filesystem store, and
-- everything written before this table) have no row.
CREATE TABLE blob_files (
    key        TEXT PRIMARY KEY CHECK (key <> ''),
    state      TEXT NOT NULL CHECK (state IN ('spooled', 'uploaded')),
    instance   TEXT NOT NULL,
    address    TEXT NOT NULL DEFAULT '',
    size       BIGINT NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX blob_files_spooled ON blob_files (instance) WHERE state = 'spooled';

-- +goose Down
DROP TABLE blob_files;
