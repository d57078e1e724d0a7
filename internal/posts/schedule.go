package posts

import (
	"context"
	"fmt"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// NextChange is the earliest moment after now at which public pages change
// by the clock alone, with no write to the database: a scheduled edition,
// analysis or event going live, or an event starting or ending (it moves
// from upcoming to past). Zero when nothing is pending. Page caches expire
// then.
func NextChange(ctx context.Context, q store.Querier, now time.Time) (time.Time, error) {
	var next time.Time
	for _, query := range []string{
		`SELECT MIN(publish_at) FROM editions WHERE status <> 'draft' AND publish_at > ?`,
		`SELECT MIN(publish_at) FROM analyses WHERE status <> 'draft' AND publish_at > ?`,
		`SELECT MIN(publish_at) FROM events WHERE status <> 'draft' AND publish_at > ?`,
		`SELECT MIN(starts_at) FROM events WHERE status <> 'draft' AND starts_at > ?`,
		`SELECT MIN(ends_at) FROM events WHERE status <> 'draft' AND ends_at > ?`,
	} {
		var t nullTime
		if err := q.QueryRowContext(ctx, query, now.UTC()).Scan(&t); err != nil {
			return time.Time{}, fmt.Errorf("next scheduled change: %w", err)
		}
		if t.Valid && (next.IsZero() || t.Time.Before(next)) {
			next = t.Time
		}
	}
	return next, nil
}
