package forms

import (
	"context"
	"fmt"
	"time"
)

// Limit is a rate limit: at most Max hits per subject in Window. Bucket
// names the limit in the database ("subscribe-ip"); limits with different
// buckets count apart.
type Limit struct {
	Bucket string
	Max    int
	Window time.Duration
}

// Allow records a hit for subject and reports whether it is within l.
//
// The window is fixed: it starts at a subject's first hit and the count
// resets when it ends, so a subject gets at most 2·Max hits in any span of
// one Window. The hit is counted and read back in one statement, so
// parallel requests, on one instance or many, each see their own count.
// Refused hits count too: a flood keeps its subject refused.
func (g *Guard) Allow(ctx context.Context, l Limit, subject string, now time.Time) (bool, error) {
	if err := g.sweep(ctx, now); err != nil {
		return false, fmt.Errorf("rate limit %s: %w", l.Bucket, err)
	}
	now = now.UTC()
	var hits int
	err := g.db.QueryRowContext(ctx, `
		INSERT INTO rate_limits (bucket, subject, hits, resets_at) VALUES (?, ?, 1, ?)
		ON CONFLICT (bucket, subject) DO UPDATE SET
			hits = CASE WHEN rate_limits.resets_at <= ? THEN 1 ELSE rate_limits.hits + 1 END,
			resets_at = CASE WHEN rate_limits.resets_at <= ? THEN excluded.resets_at ELSE rate_limits.resets_at END
		RETURNING hits`, l.Bucket, subject, now.Add(l.Window), now, now).Scan(&hits)
	if err != nil {
		return false, fmt.Errorf("rate limit %s: %w", l.Bucket, err)
	}
	return hits <= l.Max, nil
}
