-- +goose Up
-- When a post's content last changed after readers could see it: an
-- analysis saved with other words while public, an edition's correction
-- published. NULL: never revised. Feeds (Atom updated, JSON Feed
-- date_modified), the sitemap's lastmod and the page's dateModified read
-- it, so subscribers and crawlers come back for a corrected post, while a
-- post saved as a draft or imported with an earlier publish date does not
-- claim a change readers never saw.
ALTER TABLE analyses ADD COLUMN revised_at TIMESTAMP;
ALTER TABLE editions ADD COLUMN revised_at TIMESTAMP;

-- +goose Down
ALTER TABLE editions DROP COLUMN revised_at;
ALTER TABLE analyses DROP COLUMN revised_at;
