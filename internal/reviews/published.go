package reviews

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Freeze records the page of edition slug as readers will see it from now
// on: the edition with the outlet, people, author and series metadata of
// this moment. LoadPage serves a published or scheduled edition from its
// frozen page, so changing an outlet's label in the roster later leaves
// every published edition byte-identical until an editor publishes again.
// version is the studio version that was published (0 for an import).
func Freeze(ctx context.Context, q store.Querier, slug string, version int, by string) error {
	p, err := LoadWorkingPage(ctx, q, slug)
	if err != nil {
		return err
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("freeze edition %q: %w", slug, err)
	}
	_, err = q.ExecContext(ctx, `
		INSERT INTO edition_publications (edition_id, version, page, published_by, published_at)
		VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)
		ON CONFLICT (edition_id) DO UPDATE SET version = excluded.version, page = excluded.page,
			published_by = excluded.published_by, published_at = excluded.published_at`,
		p.Edition.ID, version, string(doc), by)
	if err != nil {
		return fmt.Errorf("freeze edition %q: %w", slug, err)
	}
	return nil
}

// Thaw removes the frozen page of an edition that is taken off the site.
func Thaw(ctx context.Context, q store.Querier, slug string) error {
	_, err := q.ExecContext(ctx, `
		DELETE FROM edition_publications WHERE edition_id = (SELECT id FROM editions WHERE slug = ?)`, slug)
	if err != nil {
		return fmt.Errorf("unpublish edition %q: %w", slug, err)
	}
	return nil
}

// loadFrozen returns the frozen page of a published or scheduled edition,
// or nil when the edition has none (a draft, or published before pages
// were frozen). The live row still decides status and publication time,
// which the scheduler may change without a new publication.
func loadFrozen(ctx context.Context, q store.Querier, slug string) (*Page, error) {
	var (
		id     int64
		status Status
		at     sql.NullTime
		doc    string
	)
	err := q.QueryRowContext(ctx, `
		SELECT e.id, e.status, e.publish_at, p.page
		FROM editions e JOIN edition_publications p ON p.edition_id = e.id
		WHERE e.slug = ? AND e.status IN ('published', 'scheduled')`, slug).Scan(&id, &status, &at, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load edition %q: %w", slug, err)
	}
	var p Page
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, fmt.Errorf("load edition %q: frozen page: %w", slug, err)
	}
	p.Edition.ID = id
	p.Edition.Status = status
	p.Edition.PublishAt = utcPtr(at)
	return &p, nil
}

// PageFor resolves an edition that is not (or not yet) in the edition
// tables — a studio version — against the roster as it is now: the page
// the site would render if it were published. An unknown series, author,
// outlet or person is a validation error naming the field, as in
// SaveEdition.
func PageFor(ctx context.Context, q store.Querier, e Edition) (*Page, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	p := &Page{Edition: e, Outlets: map[string]outlets.Outlet{}, People: map[string]outlets.Person{}}
	var err error
	if p.Series, err = SeriesByKey(ctx, q, e.Series); err != nil {
		return nil, unknown("series", "series", e.Series, err)
	}
	for i, key := range e.Authors {
		a, err := posts.AuthorByKey(ctx, q, key)
		if err != nil {
			return nil, unknown(valid.Index("authors", i), "author", key, err)
		}
		p.Authors = append(p.Authors, a)
	}
	for i, en := range e.Entries {
		r, _, err := lookUp(ctx, q, en)
		if err != nil {
			return nil, valid.In(valid.Index("entries", i), err)
		}
		maps.Copy(p.Outlets, r.Outlets)
		maps.Copy(p.People, r.People)
	}
	return p, nil
}

// Resolve brings every entry of the page into the current model against
// the page's own roster — pressreview/1 entries upgraded, empty labels
// filled — so that the edition can be written as a pressreview/2 bundle
// and reads exactly as the page does.
func (p *Page) Resolve() {
	r := p.Roster()
	for i, en := range p.Edition.Entries {
		p.Edition.Entries[i] = WithLabels(Upgrade(en, r), r)
	}
}
