// Package posts holds what the desk publishes beside its review series:
// authors, and (as the site grows) analyses and events.
package posts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// Author writes editions and analyses; the author card shows these fields.
type Author struct {
	ID           int64  `json:"-"`
	Key          string `json:"key"`
	Name         string `json:"name"`
	Title        string `json:"title,omitempty"`        // "Senior Fellow"
	Organisation string `json:"organisation,omitempty"` // "AGSI"
	Bio          string `json:"bio,omitempty"`
	Photo        string `json:"photo,omitempty"` // URL or site path
}

// Affiliation is the card's second line: "Senior Fellow, AGSI".
func (a Author) Affiliation() string {
	switch {
	case a.Title == "":
		return a.Organisation
	case a.Organisation == "":
		return a.Title
	}
	return a.Title + ", " + a.Organisation
}

// Validate names the first field that is missing or wrong.
func (a Author) Validate() error {
	if err := valid.CheckKey("key", a.Key); err != nil {
		return err
	}
	if err := valid.Line("name", a.Name); err != nil {
		return err
	}
	return nil
}

const authorColumns = `id, key, name, title, organisation, bio, photo`

func scanAuthor(row interface{ Scan(...any) error }) (Author, error) {
	var a Author
	err := row.Scan(&a.ID, &a.Key, &a.Name, &a.Title, &a.Organisation, &a.Bio, &a.Photo)
	return a, err
}

// SaveAuthor inserts the author or, when the key exists, updates them; it sets a.ID.
func SaveAuthor(ctx context.Context, q store.Querier, a *Author) error {
	if err := a.Validate(); err != nil {
		return err
	}
	err := q.QueryRowContext(ctx, `
		INSERT INTO authors (key, name, title, organisation, bio, photo) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET
			name = excluded.name, title = excluded.title, organisation = excluded.organisation,
			bio = excluded.bio, photo = excluded.photo, updated_at = CURRENT_TIMESTAMP
		RETURNING id`,
		a.Key, a.Name, a.Title, a.Organisation, a.Bio, a.Photo,
	).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("save author %q: %w", a.Key, err)
	}
	return nil
}

// AuthorByKey finds an author; it returns store.ErrNotFound when none has key.
func AuthorByKey(ctx context.Context, q store.Querier, key string) (Author, error) {
	a, err := scanAuthor(q.QueryRowContext(ctx, `SELECT `+authorColumns+` FROM authors WHERE key = ?`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("author %q: %w", key, store.ErrNotFound)
	}
	return a, err
}

// ListAuthors returns every author ordered by name.
func ListAuthors(ctx context.Context, q store.Querier) ([]Author, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+authorColumns+` FROM authors ORDER BY name, key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Author
	for rows.Next() {
		a, err := scanAuthor(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
