-- +goose Up
-- The entry model of pressreview/2: an entry names zero or more outlets and
-- speakers, each with the label this entry gives it, and stores its lead-in
-- as literal text. entries loses outlet_id and speaker_id, which SQLite can
-- only do by rebuilding the table. Foreign keys are on inside the
-- migration's transaction (the pragma cannot change there), so dropping
-- entries would cascade to entry_parts: both are copied aside, rebuilt and
-- restored, and their site_version triggers (00006) recreated.
CREATE TABLE entries_00016 AS SELECT * FROM entries;
CREATE TABLE entry_parts_00016 AS SELECT * FROM entry_parts;
DROP TABLE entry_parts;
DROP TABLE entries;

-- lead_in_template marks the rows written before this migration: their
-- lead_in is a pressreview/1 template (or empty), composed against the
-- roster when the page is drawn, until the edition is saved again.
CREATE TABLE entries (
    id               INTEGER PRIMARY KEY,
    edition_id       INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    entry_date       TEXT NOT NULL CHECK (length(entry_date) = 10),
    intermediary     TEXT NOT NULL DEFAULT '',
    verb             TEXT NOT NULL DEFAULT '',
    lead_in          TEXT NOT NULL DEFAULT '',
    lead_in_template BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (edition_id, position)
);
INSERT INTO entries (id, edition_id, position, entry_date, intermediary, verb, lead_in, lead_in_template)
SELECT id, edition_id, position, entry_date, intermediary, verb, lead_in, TRUE FROM entries_00016;

-- item -1 holds the parts of the entry's own bullet (an inline quote);
-- items 0… are its sub-bullets.
CREATE TABLE entry_parts (
    entry_id      INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    item          INTEGER NOT NULL CHECK (item >= -1),
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('quote', 'text')),
    text          TEXT NOT NULL CHECK (text <> ''),
    original      TEXT NOT NULL DEFAULT '',
    original_lang TEXT NOT NULL DEFAULT '',
    source_url    TEXT NOT NULL DEFAULT '',
    clip_id       INTEGER REFERENCES clips (id) ON DELETE SET NULL,
    PRIMARY KEY (entry_id, item, position)
);
INSERT INTO entry_parts (entry_id, item, position, kind, text, original, original_lang, source_url, clip_id)
SELECT entry_id, item, position, kind, text, original, original_lang, source_url, clip_id FROM entry_parts_00016;
CREATE INDEX entry_parts_clip ON entry_parts (clip_id) WHERE clip_id IS NOT NULL;

-- An entry's outlets in the order the lead-in names them: sources, and
-- outlets or platforms that relayed them ("as reported by", "on").
CREATE TABLE entry_outlets (
    entry_id     INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    outlet_id    INTEGER NOT NULL REFERENCES outlets (id),
    role         TEXT NOT NULL CHECK (role IN ('source', 'via')),
    label        TEXT NOT NULL DEFAULT '',
    intermediary TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (entry_id, position)
);
CREATE INDEX entry_outlets_outlet ON entry_outlets (outlet_id);

CREATE TABLE entry_speakers (
    entry_id     INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    label        TEXT NOT NULL DEFAULT '',
    title_before BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (entry_id, position)
);
CREATE INDEX entry_speakers_person ON entry_speakers (person_id);

INSERT INTO entry_outlets (entry_id, position, outlet_id, role)
SELECT id, 0, outlet_id, 'source' FROM entries_00016;
INSERT INTO entry_speakers (entry_id, position, person_id)
SELECT id, 0, speaker_id FROM entries_00016 WHERE speaker_id IS NOT NULL;
DROP TABLE entry_parts_00016;
DROP TABLE entries_00016;

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
CREATE TRIGGER entry_outlets_site_version_ai AFTER INSERT ON entry_outlets BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entry_outlets_site_version_au AFTER UPDATE ON entry_outlets BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entry_outlets_site_version_ad AFTER DELETE ON entry_outlets BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entry_speakers_site_version_ai AFTER INSERT ON entry_speakers BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entry_speakers_site_version_au AFTER UPDATE ON entry_speakers BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER entry_speakers_site_version_ad AFTER DELETE ON entry_speakers BEGIN
    UPDATE site_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
-- Back to one outlet and at most one speaker per entry: the first source
-- (or first) outlet and the first speaker are kept; entries that name no
-- outlet and inline parts have no place in the old model and are dropped.
CREATE TABLE entries_00016 AS
SELECT e.id, e.edition_id, e.position, e.entry_date, e.intermediary, e.verb, e.lead_in,
       (SELECT o.outlet_id FROM entry_outlets o WHERE o.entry_id = e.id ORDER BY o.role <> 'source', o.position LIMIT 1) AS outlet_id,
       (SELECT s.person_id FROM entry_speakers s WHERE s.entry_id = e.id ORDER BY s.position LIMIT 1) AS speaker_id
FROM entries e;
CREATE TABLE entry_parts_00016 AS SELECT * FROM entry_parts WHERE item >= 0;
DROP TABLE entry_speakers;
DROP TABLE entry_outlets;
DROP TABLE entry_parts;
DROP TABLE entries;
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
INSERT INTO entries (id, edition_id, position, entry_date, outlet_id, speaker_id, intermediary, verb, lead_in)
SELECT id, edition_id, position, entry_date, outlet_id, speaker_id, intermediary, verb, lead_in
FROM entries_00016 WHERE outlet_id IS NOT NULL;
CREATE TABLE entry_parts (
    entry_id      INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    item          INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('quote', 'text')),
    text          TEXT NOT NULL CHECK (text <> ''),
    original      TEXT NOT NULL DEFAULT '',
    original_lang TEXT NOT NULL DEFAULT '',
    source_url    TEXT NOT NULL DEFAULT '',
    clip_id       INTEGER REFERENCES clips (id) ON DELETE SET NULL,
    PRIMARY KEY (entry_id, item, position)
);
INSERT INTO entry_parts SELECT p.* FROM entry_parts_00016 p WHERE p.entry_id IN (SELECT id FROM entries);
CREATE INDEX entry_parts_clip ON entry_parts (clip_id) WHERE clip_id IS NOT NULL;
DROP TABLE entry_parts_00016;
DROP TABLE entries_00016;
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
