package reviews

import (
	"context"
	"fmt"

	"github.com/pressreview/pressreview/internal/store"
)

// namingQueries find the editions that show a record of each kind: an
// outlet or a person through an entry, an author through the byline, a
// series as the edition's own.
var namingQueries = map[string]string{
	"outlet": `SELECT DISTINCT e.slug, e.status FROM editions e
		JOIN entries en ON en.edition_id = e.id JOIN entry_outlets eo ON eo.entry_id = en.id
		JOIN outlets o ON o.id = eo.outlet_id WHERE o.key = ?`,
	"person": `SELECT DISTINCT e.slug, e.status FROM editions e
		JOIN entries en ON en.edition_id = e.id JOIN entry_speakers es ON es.entry_id = en.id
		JOIN people p ON p.id = es.person_id WHERE p.key = ?`,
	"author": `SELECT DISTINCT e.slug, e.status FROM editions e
		JOIN edition_authors ea ON ea.edition_id = e.id JOIN authors a ON a.id = ea.author_id WHERE a.key = ?`,
	"series": `SELECT e.slug, e.status FROM editions e JOIN series s ON s.id = e.series_id WHERE s.key = ?`,
}

// EditionsNaming returns the slugs and statuses of the editions that show
// the outlet, person, author or series with key, by slug. kind is
// "outlet", "person", "author" or "series".
func EditionsNaming(ctx context.Context, q store.Querier, kind, key string) ([]EditionSummary, error) {
	query, ok := namingQueries[kind]
	if !ok {
		return nil, fmt.Errorf("editions naming a %s: no such kind of record", kind)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY 1`, key)
	if err != nil {
		return nil, fmt.Errorf("editions naming %s %q: %w", kind, key, err)
	}
	defer rows.Close()
	var out []EditionSummary
	for rows.Next() {
		var s EditionSummary
		if err := rows.Scan(&s.Slug, &s.Status); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
