-- +goose Up
-- Every save of an edition in the studio is a version: the whole edition as
-- a bundle document, its author and time. Versions are never changed; a
-- restore writes a new one.
CREATE TABLE edition_versions (
    edition_id BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL CHECK (version > 0),
    doc        TEXT NOT NULL,
    author     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (edition_id, version)
);

-- Where the working copy is in the review workflow. The public status lives
-- in editions.status: an edition being revised after publication is in
-- 'draft' here and still 'published' there, served from its publication.
CREATE TABLE edition_workflow (
    edition_id BIGINT PRIMARY KEY REFERENCES editions (id) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'approved', 'scheduled', 'published')),
    version    INTEGER NOT NULL,
    changed_by TEXT NOT NULL DEFAULT '',
    changed_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- What readers see of a published or scheduled edition: the page frozen at
-- publication with the outlet, people and author metadata of that moment,
-- so a later roster change cannot rewrite published text.
CREATE TABLE edition_publications (
    edition_id   BIGINT PRIMARY KEY REFERENCES editions (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL DEFAULT 0,
    page         TEXT NOT NULL,
    published_by TEXT NOT NULL DEFAULT '',
    published_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TRIGGER edition_publications_site_version AFTER INSERT OR UPDATE OR DELETE ON edition_publications
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();

-- +goose Down
DROP TRIGGER edition_publications_site_version ON edition_publications;
DROP TABLE edition_publications;
DROP TABLE edition_workflow;
DROP TABLE edition_versions;
