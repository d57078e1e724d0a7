-- +goose Up
-- The entry model of pressreview/2: an entry names zero or more outlets and
-- speakers, each with the label this entry gives it, and stores its lead-in
-- as literal text. lead_in_template marks the rows written before this
-- migration: their lead_in is a pressreview/1 template (or empty), composed
-- against the roster when the page is drawn, until the edition is saved
-- again.
ALTER TABLE entries ADD COLUMN lead_in_template BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE entries SET lead_in_template = TRUE;

-- item -1 holds the parts of the entry's own bullet (an inline quote);
-- items 0… are its sub-bullets.
ALTER TABLE entry_parts ADD CONSTRAINT entry_parts_item CHECK (item >= -1);

-- An entry's outlets in the order the lead-in names them: sources, and
-- outlets or platforms that relayed them ("as reported by", "on").
CREATE TABLE entry_outlets (
    entry_id     BIGINT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    outlet_id    BIGINT NOT NULL REFERENCES outlets (id),
    role         TEXT NOT NULL CHECK (role IN ('source', 'via')),
    label        TEXT NOT NULL DEFAULT '',
    intermediary TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (entry_id, position)
);
CREATE INDEX entry_outlets_outlet ON entry_outlets (outlet_id);

CREATE TABLE entry_speakers (
    entry_id     BIGINT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    person_id    BIGINT NOT NULL REFERENCES people (id),
    label        TEXT NOT NULL DEFAULT '',
    title_before BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (entry_id, position)
);
CREATE INDEX entry_speakers_person ON entry_speakers (person_id);

INSERT INTO entry_outlets (entry_id, position, outlet_id, role)
SELECT id, 0, outlet_id, 'source' FROM entries;
INSERT INTO entry_speakers (entry_id, position, person_id)
SELECT id, 0, speaker_id FROM entries WHERE speaker_id IS NOT NULL;
ALTER TABLE entries DROP COLUMN outlet_id, DROP COLUMN speaker_id;

CREATE TRIGGER entry_outlets_site_version AFTER INSERT OR UPDATE OR DELETE ON entry_outlets
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER entry_speakers_site_version AFTER INSERT OR UPDATE OR DELETE ON entry_speakers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();

-- +goose Down
-- Back to one outlet and at most one speaker per entry: the first source
-- (or first) outlet and the first speaker are kept; entries that name no
-- outlet and inline parts have no place in the old model and are dropped.
ALTER TABLE entries ADD COLUMN outlet_id BIGINT REFERENCES outlets (id),
    ADD COLUMN speaker_id BIGINT REFERENCES people (id);
UPDATE entries e SET
    outlet_id = (SELECT o.outlet_id FROM entry_outlets o WHERE o.entry_id = e.id ORDER BY o.role <> 'source', o.position LIMIT 1),
    speaker_id = (SELECT s.person_id FROM entry_speakers s WHERE s.entry_id = e.id ORDER BY s.position LIMIT 1);
DELETE FROM entries WHERE outlet_id IS NULL;
DELETE FROM entry_parts WHERE item < 0;
ALTER TABLE entries ALTER COLUMN outlet_id SET NOT NULL;
CREATE INDEX entries_outlet ON entries (outlet_id);
CREATE INDEX entries_speaker ON entries (speaker_id);
ALTER TABLE entry_parts DROP CONSTRAINT entry_parts_item;
DROP TABLE entry_speakers;
DROP TABLE entry_outlets;
ALTER TABLE entries DROP COLUMN lead_in_template;
