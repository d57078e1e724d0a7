package outlets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// Feed is an RSS, Atom or JSON feed, or a news sitemap, through which an
// outlet announces its articles. The poller (internal/ingest) keeps its
// validators, schedule and health here.
type Feed struct {
	ID        int64  `json:"id"`
	OutletID  int64  `json:"-"`
	OutletKey string `json:"outlet"`
	URL       string `json:"url"`
	Title     string `json:"title,omitempty"`
	Format    string `json:"format,omitempty"`
	// IgnoreHTTPCache makes the poller send no validators and disregard
	// Cache-Control, Expires and ttl, for servers whose caching headers lie
	// (a 304 for a changed feed, a max-age of a week on a news feed).
	IgnoreHTTPCache bool `json:"ignore_http_cache"`

	ETag         string        `json:"-"`
	LastModified string        `json:"-"`
	BodySHA256   string        `json:"-"`
	Interval     time.Duration `json:"-"`

	Health
}

// Health is what an analyst needs to see that a source is alive: when it
// last answered, what went wrong last in words, how many checks in a row
// failed, and when it is checked next. A failing feed is never disabled.
type Health struct {
	LastCheckedAt       *time.Time `json:"last_checked_at"`
	LastSuccessAt       *time.Time `json:"last_success_at"`
	LastError           string     `json:"last_error,omitempty"`
	LastErrorKind       string     `json:"last_error_kind,omitempty"` // temporary, soft or hard
	ConsecutiveFailures int        `json:"consecutive_failures"`
	// FailureWeight sums the weights of the consecutive failures (hard ones
	// count more); the back-off grows linearly with it.
	FailureWeight   int       `json:"failure_weight"`
	NextCheckAt     time.Time `json:"next_check_at"`
	IntervalSeconds int64     `json:"interval_seconds"`
}

// Status sums the health up in one word: "new" (never checked), "ok" or
// "failing".
func (h Health) Status() string {
	switch {
	case h.LastCheckedAt == nil:
		return "new"
	case h.ConsecutiveFailures > 0:
		return "failing"
	}
	return "ok"
}

// Validate names the first field that is missing or wrong.
func (f Feed) Validate() error {
	u, err := url.Parse(f.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("feed URL %q: want an absolute http(s) URL", f.URL)
	}
	if f.OutletID == 0 {
		return fmt.Errorf("feed %s: no outlet", f.URL)
	}
	return nil
}

const feedColumns = `f.id, f.outlet_id, o.key, f.url, f.title, f.format, f.ignore_http_cache,
	f.etag, f.last_modified, f.body_sha256, f.interval_seconds, f.next_check_at, f.last_checked_at,
	f.last_success_at, f.last_error, f.last_error_kind, f.consecutive_failures, f.failure_weight`

const feedFrom = ` FROM feeds f JOIN outlets o ON o.id = f.outlet_id`

func scanFeed(row interface{ Scan(...any) error }) (Feed, error) {
	var f Feed
	var checked, success sql.NullTime
	err := row.Scan(&f.ID, &f.OutletID, &f.OutletKey, &f.URL, &f.Title, &f.Format, &f.IgnoreHTTPCache,
		&f.ETag, &f.LastModified, &f.BodySHA256, &f.IntervalSeconds, &f.NextCheckAt, &checked,
		&success, &f.LastError, &f.LastErrorKind, &f.ConsecutiveFailures, &f.FailureWeight)
	if err != nil {
		return f, err
	}
	f.Interval = time.Duration(f.IntervalSeconds) * time.Second
	f.LastCheckedAt, f.LastSuccessAt = timePtr(checked), timePtr(success)
	return f, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// SaveFeed adds a feed, due at once, or when its URL is known updates its
// outlet, title, format and caching switch; it sets f.ID.
func SaveFeed(ctx context.Context, q store.Querier, f *Feed) error {
	if err := f.Validate(); err != nil {
		return err
	}
	err := q.QueryRowContext(ctx, `
		INSERT INTO feeds (outlet_id, url, title, format, ignore_http_cache, next_check_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET
			outlet_id = excluded.outlet_id, title = excluded.title, format = excluded.format,
			ignore_http_cache = excluded.ignore_http_cache, updated_at = CURRENT_TIMESTAMP
		RETURNING id`,
		f.OutletID, f.URL, f.Title, f.Format, f.IgnoreHTTPCache, time.Now().UTC(),
	).Scan(&f.ID)
	if err != nil {
		return fmt.Errorf("save feed %s: %w", f.URL, err)
	}
	return nil
}

// FeedByID finds a feed; it returns store.ErrNotFound when there is none.
func FeedByID(ctx context.Context, q store.Querier, id int64) (Feed, error) {
	f, err := scanFeed(q.QueryRowContext(ctx, `SELECT `+feedColumns+feedFrom+` WHERE f.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("feed %d: %w", id, store.ErrNotFound)
	}
	return f, err
}

// FeedByURL finds a feed by its exact URL; store.ErrNotFound when none.
func FeedByURL(ctx context.Context, q store.Querier, u string) (Feed, error) {
	f, err := scanFeed(q.QueryRowContext(ctx, `SELECT `+feedColumns+feedFrom+` WHERE f.url = ?`, u))
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("feed %s: %w", u, store.ErrNotFound)
	}
	return f, err
}

// ListFeeds returns the feeds of one outlet (outletKey) or of all outlets
// (""), ordered by outlet and URL.
func ListFeeds(ctx context.Context, q store.Querier, outletKey string) ([]Feed, error) {
	query := `SELECT ` + feedColumns + feedFrom
	var args []any
	if outletKey != "" {
		query += ` WHERE o.key = ?`
		args = append(args, outletKey)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY o.key, f.url`, args...)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	defer rows.Close()
	var out []Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, fmt.Errorf("list feeds: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// DeleteFeed unsubscribes: it deletes feed id and returns it, or
// store.ErrNotFound. What the feed fetched stays as evidence — its
// captures and WARC records (captures.feed_id becomes NULL) and the
// articles they hold; its list of announced items (feed_entries, with
// fetches still pending) goes with it. A poll already queued for it finds
// no feed and is dropped.
func DeleteFeed(ctx context.Context, q store.Querier, id int64) (Feed, error) {
	f, err := FeedByID(ctx, q, id)
	if err != nil {
		return f, err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id); err != nil {
		return f, fmt.Errorf("delete feed %d: %w", id, err)
	}
	return f, nil
}
