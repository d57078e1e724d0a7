-- +goose Up
-- When each person last looked at the studio's desk, so the desk can show
-- what is new since their previous visit. A visit is a run of desk views
-- with less than an hour between them: reloading the desk does not reset
-- what counts as new.
CREATE TABLE studio_visits (
    user_id       BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    since_at      TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE studio_visits;
