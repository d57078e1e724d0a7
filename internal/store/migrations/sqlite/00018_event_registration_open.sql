-- +goose Up
-- Whether readers may register for an event. An editor closes
-- registration before the event starts (the room is settled, the list is
-- sent); existing events stay open, as they were.
ALTER TABLE events ADD COLUMN registration_open BOOLEAN NOT NULL DEFAULT TRUE;

-- +goose Down
ALTER TABLE events DROP COLUMN registration_open;
