package posts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Tag groups analyses and editions by subject ("nuclear-talks").
type Tag struct {
	ID   int64  `json:"-"`
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Validate names the first field that is missing or wrong.
func (t Tag) Validate() error {
	if err := valid.CheckKey("key", t.Key); err != nil {
		return err
	}
	if err := valid.Line("name", t.Name); err != nil {
		return err
	}
	return nil
}

// SaveTag inserts the tag or renames it when the key exists.
func SaveTag(ctx context.Context, q store.Querier, t *Tag) error {
	if err := t.Validate(); err != nil {
		return err
	}
	err := q.QueryRowContext(ctx, `
		INSERT INTO tags (key, name) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET name = excluded.name
		RETURNING id`, t.Key, t.Name).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("save tag %q: %w", t.Key, err)
	}
	return nil
}

// TagByKey finds a tag; store.ErrNotFound when none has key.
func TagByKey(ctx context.Context, q store.Querier, key string) (Tag, error) {
	var t Tag
	err := q.QueryRowContext(ctx, `SELECT id, key, name FROM tags WHERE key = ?`, key).Scan(&t.ID, &t.Key, &t.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("tag %q: %w", key, store.ErrNotFound)
	}
	return t, err
}

// tagIDs resolves tag keys; an unknown key is an error naming its field.
func tagIDs(ctx context.Context, q store.Querier, keys []string) ([]int64, error) {
	ids := make([]int64, len(keys))
	for i, k := range keys {
		t, err := TagByKey(ctx, q, k)
		if errors.Is(err, store.ErrNotFound) {
			return nil, valid.Unknown(valid.Index("tags", i), "tag", k)
		}
		if err != nil {
			return nil, err
		}
		ids[i] = t.ID
	}
	return ids, nil
}

// TagEdition replaces the tags of the edition with the given slug.
// Editions belong to package reviews; their tags live here because the
// site reads editions beside analyses.
func TagEdition(ctx context.Context, q store.Querier, slug string, tags []string) error {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM editions WHERE slug = ?`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return valid.Errorf("edition", "unknown edition %q", slug)
	}
	if err != nil {
		return err
	}
	ids, err := tagIDs(ctx, q, tags)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM edition_tags WHERE edition_id = ?`, id); err != nil {
		return err
	}
	for _, t := range ids {
		if _, err := q.ExecContext(ctx, `INSERT INTO edition_tags (edition_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, t); err != nil {
			return err
		}
	}
	return nil
}

// EditionTags tags one edition of a review series.
type EditionTags struct {
	Edition string   `json:"edition"` // slug
	Tags    []string `json:"tags"`
}
