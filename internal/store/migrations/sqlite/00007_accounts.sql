-- +goose Up
-- Staff accounts, their sessions, sign-in failures and API tokens.

-- email is stored lower-cased by the accounts package, so UNIQUE makes it
-- unique case-insensitively. session_epoch grows when the password changes
-- or the account is disabled; sessions carry the epoch they began in, so
-- older sessions on every instance stop working at once.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (email <> ''),
    name          TEXT NOT NULL CHECK (name <> ''),
    role          TEXT NOT NULL CHECK (role IN ('analyst', 'editor', 'admin')),
    password_hash TEXT NOT NULL CHECK (password_hash <> ''),
    session_epoch INTEGER NOT NULL DEFAULT 0,
    disabled_at   TIMESTAMP,
    last_login_at TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- Sessions of github.com/alexedwards/scs, keyed by the SHA-256 of the
-- cookie's token so that a copy of the table does not hold live cookies.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

-- Failed sign-ins per address, known or not, so that the lockout itself
-- does not tell which addresses have accounts.
CREATE TABLE login_failures (
    email          TEXT PRIMARY KEY,
    failures       INTEGER NOT NULL,
    last_failed_at TIMESTAMP NOT NULL,
    locked_until   TIMESTAMP
);

-- Bearer tokens for scripts and the CLI; only the SHA-256 is kept.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CHECK (name <> ''),
    role         TEXT NOT NULL CHECK (role IN ('analyst', 'editor', 'admin')),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
