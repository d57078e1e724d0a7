package newsletter

import (
	"context"
	"fmt"
	"strings"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Validate names the first field that is missing or wrong.
func (l List) Validate() error {
	if err := valid.CheckKey("key", l.Key); err != nil {
		return err
	}
	if strings.TrimSpace(l.Name) == "" {
		return valid.Errorf("name", "is required")
	}
	return nil
}

// SaveList inserts a list or, when its key exists, updates it; it sets l.ID.
func SaveList(ctx context.Context, q store.Querier, l *List) error {
	if err := l.Validate(); err != nil {
		return valid.In("list", err)
	}
	err := q.QueryRowContext(ctx, `
		INSERT INTO newsletter_lists (key, name, description, public) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET name = excluded.name, description = excluded.description, public = excluded.public
		RETURNING id`, l.Key, l.Name, l.Description, l.Public).Scan(&l.ID)
	if err != nil {
		return fmt.Errorf("save list %q: %w", l.Key, err)
	}
	return nil
}

// Lists returns the lists by name; with publicOnly, only those on the form.
func Lists(ctx context.Context, q store.Querier, publicOnly bool) ([]List, error) {
	query := `SELECT id, key, name, description, public FROM newsletter_lists`
	if publicOnly {
		query += ` WHERE public`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("lists: %w", err)
	}
	defer rows.Close()
	var out []List
	for rows.Next() {
		var l List
		if err := rows.Scan(&l.ID, &l.Key, &l.Name, &l.Description, &l.Public); err != nil {
			return nil, fmt.Errorf("lists: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// ListByKey finds one list.
func ListByKey(ctx context.Context, q store.Querier, key string) (List, error) {
	var l List
	err := q.QueryRowContext(ctx, `SELECT id, key, name, description, public FROM newsletter_lists WHERE key = ?`, key).
		Scan(&l.ID, &l.Key, &l.Name, &l.Description, &l.Public)
	if err != nil {
		return l, notFound("list", key, err)
	}
	return l, nil
}
