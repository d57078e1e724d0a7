package posts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Analysis is an article the desk publishes beside its review series.
type Analysis struct {
	ID       int64  `json:"-"`
	Slug     string `json:"slug"`
	Category string `json:"category,omitempty"` // "Analysis" when empty
	Title    string `json:"title"`
	Dek      string `json:"dek,omitempty"`
	Body     string `json:"body"` // Markdown
	// Image is the key of the hero image.
	Image     string     `json:"image,omitempty"`
	Authors   []string   `json:"authors,omitempty"` // author keys, in byline order
	Tags      []string   `json:"tags,omitempty"`    // tag keys
	Status    string     `json:"status"`            // draft, scheduled, published
	PublishAt *time.Time `json:"publish_at,omitempty"`
}

// Validate checks the analysis on its own; SaveAnalysis checks references.
func (a Analysis) Validate() error {
	if err := valid.CheckKey("slug", a.Slug); err != nil {
		return err
	}
	if err := valid.Line("title", a.Title); err != nil {
		return err
	}
	if err := checkStatus(a.Status, a.PublishAt); err != nil {
		return err
	}
	for i, k := range a.Authors {
		if err := valid.CheckKey(valid.Index("authors", i), k); err != nil {
			return err
		}
	}
	return nil
}

func checkStatus(status string, publishAt *time.Time) error {
	switch status {
	case "draft":
	case "scheduled", "published":
		if publishAt == nil {
			return valid.Errorf("publish_at", "is required when status is %q", status)
		}
	case "":
		return valid.Errorf("status", "is required (draft, scheduled or published)")
	default:
		return valid.Errorf("status", "%q is not draft, scheduled or published", status)
	}
	return nil
}

// Public reports whether content with this status and publish time is
// visible to readers at now: scheduled content goes live by itself.
func Public(status string, publishAt *time.Time, now time.Time) bool {
	return (status == "published" || status == "scheduled") && publishAt != nil && !publishAt.After(now)
}

// SaveAnalysis writes an analysis with its authors and tags, replacing any
// analysis with the same slug. Authors, tags and the image must exist. Run
// it in a transaction so a failure leaves the old version whole.
func SaveAnalysis(ctx context.Context, q store.Querier, a *Analysis) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if a.Category == "" {
		a.Category = "Analysis"
	}
	authorIDs, err := authorIDs(ctx, q, a.Authors)
	if err != nil {
		return err
	}
	tags, err := tagIDs(ctx, q, a.Tags)
	if err != nil {
		return err
	}
	img, err := imageID(ctx, q, a.Image)
	if err != nil {
		return err
	}
	revised, err := revision(ctx, q, a, img)
	if err != nil {
		return err
	}
	err = q.QueryRowContext(ctx, `
		INSERT INTO analyses (slug, category, title, dek, body, image_id, status, publish_at, revised_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET
			category = excluded.category, title = excluded.title, dek = excluded.dek, body = excluded.body,
			image_id = excluded.image_id, status = excluded.status, publish_at = excluded.publish_at,
			revised_at = COALESCE(excluded.revised_at, analyses.revised_at), updated_at = CURRENT_TIMESTAMP
		RETURNING id`,
		a.Slug, a.Category, a.Title, a.Dek, a.Body, img, a.Status, utc(a.PublishAt), revised,
	).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("save analysis %q: %w", a.Slug, err)
	}
	for _, stmt := range []string{`DELETE FROM analysis_authors WHERE analysis_id = ?`, `DELETE FROM analysis_tags WHERE analysis_id = ?`} {
		if _, err := q.ExecContext(ctx, stmt, a.ID); err != nil {
			return fmt.Errorf("save analysis %q: %w", a.Slug, err)
		}
	}
	for i, id := range authorIDs {
		if _, err := q.ExecContext(ctx, `INSERT INTO analysis_authors (analysis_id, position, author_id) VALUES (?, ?, ?)`, a.ID, i, id); err != nil {
			return fmt.Errorf("save analysis %q: %w", a.Slug, err)
		}
	}
	for _, id := range tags {
		if _, err := q.ExecContext(ctx, `INSERT INTO analysis_tags (analysis_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, a.ID, id); err != nil {
			return fmt.Errorf("save analysis %q: %w", a.Slug, err)
		}
	}
	return nil
}

// revision returns the time to record as a's revision (nil: none): now
// when the analysis was public before this save, stays public, and its
// readers will see other words, title, dek, category or picture. Saving a
// draft, publishing, or saving the same text again is no revision.
func revision(ctx context.Context, q store.Querier, a *Analysis, img any) (any, error) {
	var (
		status, category, title, dek, body string
		at                                 nullTime
		oldImg                             nullInt
	)
	err := q.QueryRowContext(ctx, `SELECT status, publish_at, category, title, dek, body, image_id FROM analyses WHERE slug = ?`,
		a.Slug).Scan(&status, &at, &category, &title, &dek, &body, &oldImg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("save analysis %q: %w", a.Slug, err)
	}
	now := time.Now().UTC()
	var was *time.Time
	if at.Valid {
		was = &at.Time
	}
	newImg, _ := img.(int64)
	changed := category != a.Category || title != a.Title || dek != a.Dek || body != a.Body || oldImg.n != newImg
	if !changed || !Public(status, was, now) || !Public(a.Status, a.PublishAt, now) {
		return nil, nil
	}
	return now, nil
}

// AnalysisBySlug reads an analysis (any status); store.ErrNotFound when
// none has slug.
func AnalysisBySlug(ctx context.Context, q store.Querier, slug string) (Analysis, error) {
	var (
		a   Analysis
		img sql.NullString
		at  nullTime
	)
	err := q.QueryRowContext(ctx, `
		SELECT a.id, a.slug, a.category, a.title, a.dek, a.body, i.key, a.status, a.publish_at
		FROM analyses a LEFT JOIN images i ON i.id = a.image_id WHERE a.slug = ?`, slug).
		Scan(&a.ID, &a.Slug, &a.Category, &a.Title, &a.Dek, &a.Body, &img, &a.Status, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("analysis %q: %w", slug, store.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("load analysis %q: %w", slug, err)
	}
	a.Image = img.String
	if at.Valid {
		a.PublishAt = &at.Time
	}
	if a.Authors, a.Tags, err = analysisLinks(ctx, q, a.ID); err != nil {
		return a, fmt.Errorf("load analysis %q: %w", slug, err)
	}
	return a, nil
}

// Find returns the public post of the given kind and slug;
// store.ErrNotFound when there is none (or it is not public yet).
func Find(ctx context.Context, q store.Querier, kind Kind, slug string, now time.Time) (*Post, error) {
	found, _, err := List(ctx, q, Filter{Kind: kind, Slug: slug}, now, 1, 0)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("%s %q: %w", kind, slug, store.ErrNotFound)
	}
	return found[0], nil
}

func authorIDs(ctx context.Context, q store.Querier, keys []string) ([]int64, error) {
	ids := make([]int64, len(keys))
	for i, k := range keys {
		au, err := AuthorByKey(ctx, q, k)
		if errors.Is(err, store.ErrNotFound) {
			return nil, valid.Unknown(valid.Index("authors", i), "author", k)
		}
		if err != nil {
			return nil, err
		}
		ids[i] = au.ID
	}
	return ids, nil
}

// utc stores times in UTC on both stores (SQLite keeps them as text, and
// text only sorts right in one zone).
func utc(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}
