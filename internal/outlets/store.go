package outlets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pressreview/pressreview/internal/store"
)

const outletColumns = `id, key, name, native_name, kind, language, country, orientation, affiliation, homepage`

func scanOutlet(row interface{ Scan(...any) error }) (Outlet, error) {
	var o Outlet
	err := row.Scan(&o.ID, &o.Key, &o.Name, &o.NativeName, &o.Kind, &o.Language, &o.Country,
		&o.Orientation, &o.Affiliation, &o.Homepage)
	return o, err
}

// SaveOutlet inserts the outlet or, when its key exists, updates it; it sets o.ID.
func SaveOutlet(ctx context.Context, q store.Querier, o *Outlet) error {
	if err := o.Validate(); err != nil {
		return err
	}
	err := q.QueryRowContext(ctx, `
		INSERT INTO outlets (key, name, native_name, kind, language, country, orientation, affiliation, homepage)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET
			name = excluded.name, native_name = excluded.native_name, kind = excluded.kind,
			language = excluded.language, country = excluded.country, orientation = excluded.orientation,
			affiliation = excluded.affiliation, homepage = excluded.homepage, updated_at = CURRENT_TIMESTAMP
		RETURNING id`,
		o.Key, o.Name, o.NativeName, o.Kind, o.Language, o.Country, o.Orientation, o.Affiliation, o.Homepage,
	).Scan(&o.ID)
	if err != nil {
		return fmt.Errorf("save outlet %q: %w", o.Key, err)
	}
	return nil
}

// OutletByKey finds an outlet; it returns store.ErrNotFound when none has key.
func OutletByKey(ctx context.Context, q store.Querier, key string) (Outlet, error) {
	o, err := scanOutlet(q.QueryRowContext(ctx, `SELECT `+outletColumns+` FROM outlets WHERE key = ?`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return o, fmt.Errorf("outlet %q: %w", key, store.ErrNotFound)
	}
	return o, err
}

// ListOutlets returns every outlet ordered by name.
func ListOutlets(ctx context.Context, q store.Querier) ([]Outlet, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+outletColumns+` FROM outlets ORDER BY name, key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Outlet
	for rows.Next() {
		o, err := scanOutlet(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

const personColumns = `id, key, name, native_name, role, aliases`

func scanPerson(row interface{ Scan(...any) error }) (Person, error) {
	var p Person
	var aliases string
	err := row.Scan(&p.ID, &p.Key, &p.Name, &p.NativeName, &p.Role, &aliases)
	if aliases != "" {
		p.Aliases = strings.Split(aliases, "\n")
	}
	return p, err
}

// SavePerson inserts the person or, when the key exists, updates them; it sets p.ID.
func SavePerson(ctx context.Context, q store.Querier, p *Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	err := q.QueryRowContext(ctx, `
		INSERT INTO people (key, name, native_name, role, aliases) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET
			name = excluded.name, native_name = excluded.native_name, role = excluded.role,
			aliases = excluded.aliases, updated_at = CURRENT_TIMESTAMP
		RETURNING id`,
		p.Key, p.Name, p.NativeName, p.Role, strings.Join(p.Aliases, "\n"),
	).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("save person %q: %w", p.Key, err)
	}
	return nil
}

// PersonByKey finds a person; it returns store.ErrNotFound when none has key.
func PersonByKey(ctx context.Context, q store.Querier, key string) (Person, error) {
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people WHERE key = ?`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("person %q: %w", key, store.ErrNotFound)
	}
	return p, err
}

// ListPeople returns everyone ordered by name.
func ListPeople(ctx context.Context, q store.Querier) ([]Person, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+personColumns+` FROM people ORDER BY name, key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
