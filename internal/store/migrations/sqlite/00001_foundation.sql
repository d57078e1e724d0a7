-- +goose Up
CREATE TABLE outlets (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE CHECK (key <> ''),
    name        TEXT NOT NULL CHECK (name <> ''),
    native_name TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    language    TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    orientation TEXT NOT NULL DEFAULT '',
    affiliation TEXT NOT NULL DEFAULT '',
    homepage    TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE CHECK (key <> ''),
    name        TEXT NOT NULL CHECK (name <> ''),
    native_name TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE authors (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE CHECK (key <> ''),
    name         TEXT NOT NULL CHECK (name <> ''),
    title        TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    bio          TEXT NOT NULL DEFAULT '',
    photo        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE series (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE CHECK (key <> ''),
    name        TEXT NOT NULL CHECK (name <> ''),
    description TEXT NOT NULL DEFAULT '',
    disclaimer  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE editions (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    series_id    INTEGER NOT NULL REFERENCES series (id),
    edition_date TEXT NOT NULL CHECK (length(edition_date) = 10),
    title        TEXT NOT NULL CHECK (title <> ''),
    dek          TEXT NOT NULL DEFAULT '',
    intro        TEXT NOT NULL DEFAULT '',
    category     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
    publish_at   TIMESTAMP,
    disclaimer   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX editions_series_date ON editions (series_id, edition_date);

CREATE TABLE edition_authors (
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES authors (id),
    PRIMARY KEY (edition_id, position)
);

CREATE TABLE entries (
    id           INTEGER PRIMARY KEY,
    edition_id   INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    entry_date   TEXT NOT NULL CHECK (length(entry_date) = 10),
    outlet_id    INTEGER NOT NULL REFERENCES outlets (id),
    speaker_id   INTEGER REFERENCES people (id),
    intermediary TEXT NOT NULL DEFAULT '',
    verb         TEXT NOT NULL DEFAULT '',
    lead_in      TEXT NOT NULL DEFAULT '',
    UNIQUE (edition_id, position)
);
CREATE INDEX entries_outlet ON entries (outlet_id);
CREATE INDEX entries_speaker ON entries (speaker_id);

-- An entry's bullets ("items") are sequences of parts: quotes and the
-- narrated passages between them.
CREATE TABLE entry_parts (
    entry_id      INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    item          INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('quote', 'text')),
    text          TEXT NOT NULL CHECK (text <> ''),
    original      TEXT NOT NULL DEFAULT '',
    original_lang TEXT NOT NULL DEFAULT '',
    source_url    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (entry_id, item, position)
);

-- +goose Down
DROP TABLE entry_parts;
DROP TABLE entries;
DROP TABLE edition_authors;
DROP TABLE editions;
DROP TABLE series;
DROP TABLE authors;
DROP TABLE people;
DROP TABLE outlets;
