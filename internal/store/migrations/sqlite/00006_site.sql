-- +goose Up
-- The public site: analyses, events, images and tags beside the review
-- series, and the content version that lets every instance's page cache
-- notice a publish made anywhere.

-- site_version has one row. Triggers on every table the public pages show
-- bump it, so any write — an import, the studio, another instance — makes
-- each server's cached pages stale on its next request without anyone
-- having to remember to invalidate.
CREATE TABLE site_version (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    BIGINT NOT NULL DEFAULT 1,
    changed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO site_version (id) VALUES (1);

-- Images are uploaded once; the server resizes them on demand for srcset.
CREATE TABLE images (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE CHECK (key <> ''),
    alt          TEXT NOT NULL CHECK (alt <> ''),
    caption      TEXT NOT NULL DEFAULT '',
    credit       TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/gif')),
    width        INTEGER NOT NULL CHECK (width > 0),
    height       INTEGER NOT NULL CHECK (height > 0),
    data         BLOB NOT NULL,
    digest       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    key  TEXT NOT NULL UNIQUE CHECK (key <> ''),
    name TEXT NOT NULL CHECK (name <> '')
);

CREATE TABLE analyses (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    category   TEXT NOT NULL DEFAULT 'Analysis',
    title      TEXT NOT NULL CHECK (title <> ''),
    dek        TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    image_id   INTEGER REFERENCES images (id),
    status     TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
    publish_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX analyses_publish ON analyses (status, publish_at);

CREATE TABLE analysis_authors (
    analysis_id INTEGER NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    author_id   INTEGER NOT NULL REFERENCES authors (id),
    PRIMARY KEY (analysis_id, position)
);
CREATE INDEX analysis_authors_author ON analysis_authors (author_id);

CREATE TABLE analysis_tags (
    analysis_id INTEGER NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (analysis_id, tag_id)
);
CREATE INDEX analysis_tags_tag ON analysis_tags (tag_id);

-- Editions are read on the site like analyses, so they carry tags too.
CREATE TABLE edition_tags (
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (edition_id, tag_id)
);
CREATE INDEX edition_tags_tag ON edition_tags (tag_id);

-- An event's times are instants; time_zone (IANA) is where it happens, so
-- the page can show both the event's and the reader's clock.
CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    title         TEXT NOT NULL CHECK (title <> ''),
    summary       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    starts_at     TIMESTAMP NOT NULL,
    ends_at       TIMESTAMP NOT NULL,
    time_zone     TEXT NOT NULL CHECK (time_zone <> ''),
    place         TEXT NOT NULL DEFAULT '',
    online_url    TEXT NOT NULL DEFAULT '',
    image_id      INTEGER REFERENCES images (id),
    capacity      INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    recording_url TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
    publish_at    TIMESTAMP,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (ends_at >= starts_at)
);
CREATE INDEX events_starts ON events (starts_at);

CREATE TABLE event_speakers (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL CHECK (name <> ''),
    role      TEXT NOT NULL DEFAULT '',
    author_id INTEGER REFERENCES authors (id),
    PRIMARY KEY (event_id, position)
);

-- One registration per (event, email): a repeated form post is not a second seat.
CREATE TABLE event_registrations (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (name <> ''),
    email      TEXT NOT NULL CHECK (email <> ''),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (event_id, email)
);

-- +goose StatementBegin
CREATE TRIGGER series_site_version_ai AFTER INSERT ON series BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER series_site_version_au AFTER UPDATE ON series BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER series_site_version_ad AFTER DELETE ON series BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER editions_site_version_ai AFTER INSERT ON editions BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER editions_site_version_au AFTER UPDATE ON editions BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER editions_site_version_ad AFTER DELETE ON editions BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER edition_authors_site_version_ai AFTER INSERT ON edition_authors BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER edition_authors_site_version_au AFTER UPDATE ON edition_authors BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER edition_authors_site_version_ad AFTER DELETE ON edition_authors BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entries_site_version_ai AFTER INSERT ON entries BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entries_site_version_au AFTER UPDATE ON entries BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entries_site_version_ad AFTER DELETE ON entries BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entry_parts_site_version_ai AFTER INSERT ON entry_parts BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entry_parts_site_version_au AFTER UPDATE ON entry_parts BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entry_parts_site_version_ad AFTER DELETE ON entry_parts BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER authors_site_version_ai AFTER INSERT ON authors BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER authors_site_version_au AFTER UPDATE ON authors BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER authors_site_version_ad AFTER DELETE ON authors BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outlets_site_version_ai AFTER INSERT ON outlets BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outlets_site_version_au AFTER UPDATE OF name, native_name, kind, orientation, affiliation, homepage ON outlets BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outlets_site_version_ad AFTER DELETE ON outlets BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER people_site_version_ai AFTER INSERT ON people BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER people_site_version_au AFTER UPDATE OF name, native_name, role ON people BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER people_site_version_ad AFTER DELETE ON people BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER images_site_version_ai AFTER INSERT ON images BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER images_site_version_au AFTER UPDATE ON images BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER images_site_version_ad AFTER DELETE ON images BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER analyses_site_version_ai AFTER INSERT ON analyses BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER analyses_site_version_au AFTER UPDATE ON analyses BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER analyses_site_version_ad AFTER DELETE ON analyses BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER analysis_authors_site_version_ai AFTER INSERT ON analysis_authors BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER analysis_authors_site_version_au AFTER UPDATE ON analysis_authors BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER analysis_authors_site_version_ad AFTER DELETE ON analysis_authors BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tags_site_version_ai AFTER INSERT ON tags BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tags_site_version_au AFTER UPDATE ON tags BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tags_site_version_ad AFTER DELETE ON tags BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER analysis_tags_site_version_ai AFTER INSERT ON analysis_tags BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER analysis_tags_site_version_au AFTER UPDATE ON analysis_tags BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER analysis_tags_site_version_ad AFTER DELETE ON analysis_tags BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER edition_tags_site_version_ai AFTER INSERT ON edition_tags BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER edition_tags_site_version_au AFTER UPDATE ON edition_tags BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER edition_tags_site_version_ad AFTER DELETE ON edition_tags BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER events_site_version_ai AFTER INSERT ON events BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER events_site_version_au AFTER UPDATE ON events BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER events_site_version_ad AFTER DELETE ON events BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_speakers_site_version_ai AFTER INSERT ON event_speakers BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_speakers_site_version_au AFTER UPDATE ON event_speakers BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER event_speakers_site_version_ad AFTER DELETE ON event_speakers BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER series_site_version_ai;
DROP TRIGGER series_site_version_au;
DROP TRIGGER series_site_version_ad;
DROP TRIGGER editions_site_version_ai;
DROP TRIGGER editions_site_version_au;
DROP TRIGGER editions_site_version_ad;
DROP TRIGGER edition_authors_site_version_ai;
DROP TRIGGER edition_authors_site_version_au;
DROP TRIGGER edition_authors_site_version_ad;
DROP TRIGGER entries_site_version_ai;
DROP TRIGGER entries_site_version_au;
DROP TRIGGER entries_site_version_ad;
DROP TRIGGER entry_parts_site_version_ai;
DROP TRIGGER entry_parts_site_version_au;
DROP TRIGGER entry_parts_site_version_ad;
DROP TRIGGER authors_site_version_ai;
DROP TRIGGER authors_site_version_au;
DROP TRIGGER authors_site_version_ad;
DROP TRIGGER outlets_site_version_ai;
DROP TRIGGER outlets_site_version_au;
DROP TRIGGER outlets_site_version_ad;
DROP TRIGGER people_site_version_ai;
DROP TRIGGER people_site_version_au;
DROP TRIGGER people_site_version_ad;
DROP TRIGGER images_site_version_ai;
DROP TRIGGER images_site_version_au;
DROP TRIGGER images_site_version_ad;
DROP TRIGGER analyses_site_version_ai;
DROP TRIGGER analyses_site_version_au;
DROP TRIGGER analyses_site_version_ad;
DROP TRIGGER analysis_authors_site_version_ai;
DROP TRIGGER analysis_authors_site_version_au;
DROP TRIGGER analysis_authors_site_version_ad;
DROP TRIGGER tags_site_version_ai;
DROP TRIGGER tags_site_version_au;
DROP TRIGGER tags_site_version_ad;
DROP TRIGGER analysis_tags_site_version_ai;
DROP TRIGGER analysis_tags_site_version_au;
DROP TRIGGER analysis_tags_site_version_ad;
DROP TRIGGER edition_tags_site_version_ai;
DROP TRIGGER edition_tags_site_version_au;
DROP TRIGGER edition_tags_site_version_ad;
DROP TRIGGER events_site_version_ai;
DROP TRIGGER events_site_version_au;
DROP TRIGGER events_site_version_ad;
DROP TRIGGER event_speakers_site_version_ai;
DROP TRIGGER event_speakers_site_version_au;
DROP TRIGGER event_speakers_site_version_ad;
DROP TABLE event_registrations;
DROP TABLE event_speakers;
DROP TABLE events;
DROP TABLE edition_tags;
DROP TABLE analysis_tags;
DROP TABLE analysis_authors;
DROP TABLE analyses;
DROP TABLE tags;
DROP TABLE images;
DROP TABLE site_version;
