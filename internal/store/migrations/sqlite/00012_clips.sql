-- +goose Up
-- Clips (package internal/clips): passages an analyst clipped from an
-- archived article, with their translation and speaker, anchored to the
-- text they came from; and the aliases by which a speaker is looked up.

-- Other spellings of a person's name, one per line: Persian and Arabic
-- spellings, transliterations. Lookups compare them normalized
-- (text.Normalize), so Arabic yeh and kaf meet their Persian forms.
ALTER TABLE people ADD COLUMN aliases TEXT NOT NULL DEFAULT '';

-- A clip is what the analyst took: the original text exactly as it stood
-- in the article's extracted text, the translation (translation_machine
-- marks a machine draft), who said it, where and when. status is the
-- outcome of the last re-check after the source was re-fetched: ok, or
-- flagged changed or deleted with status_note saying why and status_diff,
-- the part of the source's diff around the clip. A clip's article cannot be deleted from under it.
CREATE TABLE clips (
    id                  INTEGER PRIMARY KEY,
    article_id          INTEGER NOT NULL REFERENCES articles (id),
    speaker_id          INTEGER NOT NULL REFERENCES people (id),
    outlet_id           INTEGER NOT NULL REFERENCES outlets (id),
    clip_date           TEXT NOT NULL CHECK (length(clip_date) = 10),
    original            TEXT NOT NULL CHECK (original <> ''),
    original_lang       TEXT NOT NULL DEFAULT '',
    translation         TEXT NOT NULL CHECK (translation <> ''),
    translation_machine BOOLEAN NOT NULL DEFAULT FALSE,
    intermediary        TEXT NOT NULL DEFAULT '',
    source_url          TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'changed', 'deleted')),
    status_note         TEXT NOT NULL DEFAULT '',
    status_diff         TEXT NOT NULL DEFAULT '',
    checked_at          TIMESTAMP,
    created_by          TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX clips_article ON clips (article_id);
CREATE INDEX clips_speaker ON clips (speaker_id);
CREATE INDEX clips_outlet ON clips (outlet_id);
CREATE INDEX clips_date ON clips (clip_date, id);

-- Where a clip's text stands in its article, like a W3C
-- TextPositionSelector (start_cp, end_cp: code points of the extracted
-- text) plus a TextQuoteSelector (exact, with up to 32 code points of
-- prefix and suffix). The first anchor is the one the analyst made
-- (revision_id NULL); a re-check that finds the text again after an edit
-- adds one on that revision and keeps the earlier ones. capture_digest is
-- the WARC payload digest of the capture the text was extracted from
-- (empty for pasted articles, which have no capture).
CREATE TABLE clip_anchors (
    id             INTEGER PRIMARY KEY,
    clip_id        INTEGER NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
    revision_id    INTEGER REFERENCES article_revisions (id),
    capture_id     INTEGER REFERENCES captures (id),
    capture_digest TEXT NOT NULL DEFAULT '',
    start_cp       INTEGER NOT NULL CHECK (start_cp >= 0),
    end_cp         INTEGER NOT NULL CHECK (end_cp > start_cp),
    exact          TEXT NOT NULL CHECK (exact <> ''),
    prefix         TEXT NOT NULL DEFAULT '',
    suffix         TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX clip_anchors_clip ON clip_anchors (clip_id, id);

-- Every re-check of a clip against a new revision of its source, with its
-- outcome; anchor_id is the anchor it found (NULL when flagged).
CREATE TABLE clip_checks (
    id          INTEGER PRIMARY KEY,
    clip_id     INTEGER NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
    revision_id INTEGER NOT NULL REFERENCES article_revisions (id),
    checked_at  TIMESTAMP NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('ok', 'changed', 'deleted')),
    note        TEXT NOT NULL DEFAULT '',
    diff        TEXT NOT NULL DEFAULT '',
    anchor_id   INTEGER REFERENCES clip_anchors (id)
);
CREATE INDEX clip_checks_clip ON clip_checks (clip_id, id);

-- The clip a quote in an edition was made from, for the clipboard's
-- edition filter and for search.
ALTER TABLE entry_parts ADD COLUMN clip_id INTEGER REFERENCES clips (id) ON DELETE SET NULL;
CREATE INDEX entry_parts_clip ON entry_parts (clip_id) WHERE clip_id IS NOT NULL;

-- +goose Down
DROP INDEX entry_parts_clip;
ALTER TABLE entry_parts DROP COLUMN clip_id;
DROP TABLE clip_checks;
DROP TABLE clip_anchors;
DROP TABLE clips;
ALTER TABLE people DROP COLUMN aliases;
