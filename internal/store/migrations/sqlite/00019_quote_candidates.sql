-- +goose Up
-- Quote candidates (package internal/quotes/candidates): the quotations
-- the finder (internal/quotes) found in an article's current text when it
-- was ingested or last edited, waiting for an analyst to clip them.
-- Offsets are code points of articles.text, end exclusive, as in
-- clip_anchors, so that a candidate is clipped by its offsets. The cue
-- (verb of saying), speaker mention and role may stand in an earlier
-- paragraph; their offsets are NULL when the finder found none.
--
-- speaker_name is whom the quote is attributed to: the name a pronoun
-- (وی، او) was resolved to, else the mention itself. It is linked to the
-- roster when read, not when stored: speaker_norm (text.Normalize of it)
-- is compared with the normalized names and aliases of people, so that a
-- person added or given an alias later is linked to what was found
-- before, with no pass over old candidates.
CREATE TABLE quote_candidates (
    id                INTEGER PRIMARY KEY,
    article_id        INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL CHECK (position >= 0),
    kind              TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
    start_cp          INTEGER NOT NULL CHECK (start_cp >= 0),
    end_cp            INTEGER NOT NULL CHECK (end_cp > start_cp),
    quote             TEXT NOT NULL CHECK (quote <> ''),
    cue               TEXT NOT NULL DEFAULT '',
    cue_start_cp      INTEGER,
    cue_end_cp        INTEGER,
    speaker           TEXT NOT NULL DEFAULT '',
    speaker_start_cp  INTEGER,
    speaker_end_cp    INTEGER,
    speaker_name      TEXT NOT NULL DEFAULT '',
    speaker_norm      TEXT NOT NULL DEFAULT '',
    role              TEXT NOT NULL DEFAULT '',
    role_start_cp     INTEGER,
    role_end_cp       INTEGER,
    confidence        REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    UNIQUE (article_id, position)
);
CREATE INDEX quote_candidates_speaker ON quote_candidates (speaker_norm) WHERE speaker_norm <> '';

-- One row per article the finder has run on: which text (content_hash)
-- and when, how many candidates it stored, and the finder's error when it
-- failed on the text (the article is stored anyway, with no candidates).
-- A re-fetch that finds the same text does not run the finder again.
CREATE TABLE quote_scans (
    article_id   INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL DEFAULT '',
    scanned_at   TIMESTAMP NOT NULL,
    found        INTEGER NOT NULL DEFAULT 0,
    error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX quote_scans_failed ON quote_scans (article_id) WHERE error <> '';

-- Speaker names the analyst dismissed from the proposals of new people
-- (a pronoun left unresolved, a newspaper's name): they are not proposed
-- again. name_norm is text.Normalize(name).
CREATE TABLE speaker_dismissals (
    name_norm    TEXT PRIMARY KEY CHECK (name_norm <> ''),
    name         TEXT NOT NULL,
    dismissed_by TEXT NOT NULL DEFAULT '',
    dismissed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- +goose Down
DROP TABLE speaker_dismissals;
DROP INDEX quote_scans_failed;
DROP TABLE quote_scans;
DROP INDEX quote_candidates_speaker;
DROP TABLE quote_candidates;
