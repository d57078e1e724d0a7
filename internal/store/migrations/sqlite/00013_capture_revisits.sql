-- +goose Up
-- A feed's 304 answer is archived as a WARC revisit record that refers to
-- the stored response it confirms; revisit_of is that response's capture,
-- so the archive can serve the stored page for the revisit.
ALTER TABLE captures ADD COLUMN revisit_of INTEGER REFERENCES captures (id) ON DELETE SET NULL;
-- Finds that stored response: a feed's newest capture of its last body.
CREATE INDEX captures_feed_body ON captures (feed_id, body_sha256);

-- +goose Down
DROP INDEX captures_feed_body;
ALTER TABLE captures DROP COLUMN revisit_of;
