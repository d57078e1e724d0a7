-- +goose Up
-- Abuse protection of the public forms and of sign-in (package
-- internal/forms and internal/accounts), calendar revisions of events and
-- confirmed event registrations. Everything lives in the database so that
-- it holds across instances.

-- rate_limits counts the hits of one subject (an address, an email) in a
-- named bucket during a fixed window that ends at resets_at.
CREATE TABLE rate_limits (
    bucket    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    hits      INTEGER NOT NULL,
    resets_at TIMESTAMP NOT NULL,
    PRIMARY KEY (bucket, subject)
);
CREATE INDEX rate_limits_resets ON rate_limits (resets_at);

-- A form token is signed, not stored, when the form is served; its nonce
-- is stored when the form is posted, so a second post with it finds the
-- row and is refused. Rows go once the token would have expired anyway.
CREATE TABLE form_tokens_used (
    nonce      TEXT PRIMARY KEY,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX form_tokens_used_expires ON form_tokens_used (expires_at);

-- Sign-in attempts per subject: 'account:EMAIL' or 'address:IP'. An attempt
-- is counted before its password is checked, so parallel guesses cannot
-- all slip past the lockout.
CREATE TABLE sign_in_failures (
    subject        TEXT PRIMARY KEY,
    failures       INTEGER NOT NULL,
    last_failed_at TIMESTAMP NOT NULL,
    locked_until   TIMESTAMP
);
DROP TABLE login_failures;

-- sequence is the iCalendar SEQUENCE: it grows when the time or the place
-- changes. updated_at now moves only when the event's content changes
-- (registrations no longer touch it); it is the .ics LAST-MODIFIED.
ALTER TABLE events ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;

-- A registration holds a seat once confirmed through the mailed link;
-- unconfirmed ones expire. Registrations made before confirmation
-- existed count as confirmed.
ALTER TABLE event_registrations ADD COLUMN confirmed_at TIMESTAMP;
UPDATE event_registrations SET confirmed_at = created_at;

-- +goose Down
ALTER TABLE event_registrations DROP COLUMN confirmed_at;
ALTER TABLE events DROP COLUMN sequence;
CREATE TABLE login_failures (
    email          TEXT PRIMARY KEY,
    failures       INTEGER NOT NULL,
    last_failed_at TIMESTAMP NOT NULL,
    locked_until   TIMESTAMP
);
DROP TABLE sign_in_failures;
DROP TABLE form_tokens_used;
DROP TABLE rate_limits;
