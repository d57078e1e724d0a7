package ingest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/extract"
	"github.com/pressreview/pressreview/internal/feeds"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

const feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"

// maxChildSitemaps bounds the child sitemaps read from one sitemap index,
// newest first: news sitemaps keep the last two days in one or two files.
const maxChildSitemaps = 5

// PollResult says what one check of a feed found.
type PollResult struct {
	Feed        outlets.Feed // after the check
	NotModified bool         // 304, or a body identical to the last one
	Items       int          // items in the feed
	NewEntries  []int64      // feed_entries created by this check
	Err         error        // the failure recorded on the feed, nil on success
}

// newEntriesFunc handles a check's new entries inside the poll's
// transaction, so that they commit together: posts read from the feed
// itself are stored at once (storingPosts). Entries left pending are due
// at once and handed out by the scheduler.
type newEntriesFunc func(ctx context.Context, tx *store.Tx, entryIDs []int64, now time.Time) error

// PollFeed checks one feed now: fetch (conditional unless the feed ignores
// HTTP caching), archive, parse, record new items and the feed's health
// and next check. A failed fetch or parse is not an error of PollFeed: it
// is recorded on the feed and returned in PollResult.Err. Errors are
// local failures (database, disk).
func (s *Service) PollFeed(ctx context.Context, feedID int64) (PollResult, error) {
	f, err := outlets.FeedByID(ctx, s.db, feedID)
	if err != nil {
		return PollResult{}, err
	}
	req := fetch.Request{URL: f.URL, Accept: feedAccept}
	if !f.IgnoreHTTPCache {
		req.ETag, req.LastModified = f.ETag, f.LastModified
	}
	resp, ferr := s.fetcher.Fetch(ctx, req)
	if ctx.Err() != nil {
		return PollResult{}, ctx.Err() // shutting down: not the feed's fault
	}
	var caps []*capture
	if resp != nil {
		c, err := s.archiveFeedResponse(ctx, f, resp)
		if err != nil {
			return PollResult{}, err
		}
		caps = append(caps, c)
	}
	res := PollResult{Feed: f}
	if ferr != nil {
		return s.recordFailure(ctx, f, caps, ferr, hintsFrom(resp))
	}
	hints := hintsFrom(resp)
	if resp.NotModified || (resp.SHA256 != "" && resp.SHA256 == f.BodySHA256) {
		res.NotModified = true
		return s.recordSuccess(ctx, f, caps, resp, nil, hints, res, nil)
	}
	if isTelegram(f, resp) {
		return s.pollTelegram(ctx, f, resp, caps, hints)
	}
	parsed, perr := feeds.Parse(feedText(resp), resp.FinalURL)
	if perr != nil {
		return s.recordFailure(ctx, f, caps, notAFeed(resp, perr), hints)
	}
	items := parsed.Items
	if parsed.Format == feeds.SitemapIndex {
		more, childCaps, err := s.childSitemaps(ctx, f, parsed.Sitemaps)
		caps = append(caps, childCaps...)
		if err != nil {
			if ctx.Err() != nil {
				return PollResult{}, ctx.Err()
			}
			if !isFetchFailure(err) {
				return PollResult{}, err
			}
			return s.recordFailure(ctx, f, caps, err, hints)
		}
		items = append(items, more...)
	}
	hints.ttl = parsed.TTL
	if f.Title == "" {
		f.Title = parsed.Title
	}
	f.Format = string(parsed.Format)
	res.Items = len(items)
	return s.recordSuccess(ctx, f, caps, resp, items, hints, res, s.storingPosts(xPosts(f, items, caps[0])))
}

// feedText is the body as UTF-8 for the parser.
func feedText(resp *fetch.Response) []byte {
	if resp.Text != nil {
		return resp.Text
	}
	return fetch.DecodeText(resp.Body, resp.ContentType).Text
}

// isFetchFailure tells a failure of the remote side (recorded on the feed)
// from a local one (returned to the job queue to retry).
func isFetchFailure(err error) bool {
	var fe *fetch.Error
	var pe *feeds.ParseError
	return errors.As(err, &fe) || errors.As(err, &pe)
}

// childSitemaps reads the newest children of a sitemap index.
func (s *Service) childSitemaps(ctx context.Context, f outlets.Feed, refs []feeds.SitemapRef) ([]feeds.Item, []*capture, error) {
	refs = append([]feeds.SitemapRef(nil), refs...)
	sort.SliceStable(refs, func(i, j int) bool { return refs[i].Modified.After(refs[j].Modified) })
	if len(refs) > maxChildSitemaps {
		refs = refs[:maxChildSitemaps]
	}
	var items []feeds.Item
	var caps []*capture
	for _, ref := range refs {
		resp, err := s.fetcher.Fetch(ctx, fetch.Request{URL: ref.URL, Accept: feedAccept})
		if resp != nil {
			c, aerr := s.archiveResponse(resp)
			if aerr != nil {
				return nil, caps, aerr
			}
			c.FeedID = &f.ID
			caps = append(caps, c)
		}
		if err != nil {
			return nil, caps, err
		}
		child, err := feeds.Parse(feedText(resp), resp.FinalURL)
		if err != nil {
			return nil, caps, err
		}
		items = append(items, child.Items...)
	}
	return items, caps, nil
}

// recordFailure keeps the failure in words on the feed and pushes its next
// check back by the weighted, linear back-off.
func (s *Service) recordFailure(ctx context.Context, f outlets.Feed, caps []*capture, ferr error, h cacheHints) (PollResult, error) {
	kind := fetch.Classify(ferr)
	weight := f.FailureWeight + failureWeight(kind)
	now := s.now()
	next := now.Add(failureDelay(weight, h.retryAfter, s.cfg.MaxBackoff))
	err := s.inTx(ctx, func(tx *store.Tx) error {
		for _, c := range caps {
			if err := c.save(ctx, tx); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `
			UPDATE feeds SET last_checked_at = ?, last_error = ?, last_error_kind = ?,
				consecutive_failures = consecutive_failures + 1, failure_weight = ?, next_check_at = ?,
				updated_at = CURRENT_TIMESTAMP
			WHERE id = ?`,
			now, ferr.Error(), kind.String(), weight, next, f.ID)
		return err
	})
	if err != nil {
		return PollResult{}, fmt.Errorf("record failure of feed %s: %w", f.URL, err)
	}
	f, err = outlets.FeedByID(ctx, s.db, f.ID)
	return PollResult{Feed: f, Err: ferr}, err
}

// recordSuccess stores the new items as pending entries, the validators
// and body hash, the health and the next check, all in one transaction.
func (s *Service) recordSuccess(ctx context.Context, f outlets.Feed, caps []*capture, resp *fetch.Response,
	items []feeds.Item, h cacheHints, res PollResult, onNew newEntriesFunc) (PollResult, error) {
	now := s.now()
	err := s.inTx(ctx, func(tx *store.Tx) error {
		for _, c := range caps {
			if err := c.save(ctx, tx); err != nil {
				return err
			}
		}
		ids, err := insertEntries(ctx, tx, f.ID, items, now)
		if err != nil {
			return err
		}
		res.NewEntries = ids
		perWeek, err := entriesSince(ctx, tx, f.ID, now.Add(-7*24*time.Hour))
		if err != nil {
			return err
		}
		interval := nextInterval(adaptiveInterval(perWeek, s.cfg.MinInterval, s.cfg.MaxInterval), h,
			f.IgnoreHTTPCache, now, s.cfg.MaxBackoff)
		etag, lastMod, sum := f.ETag, f.LastModified, f.BodySHA256
		if !resp.NotModified {
			etag, lastMod, sum = resp.ETag, resp.LastModified, resp.SHA256
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE feeds SET title = ?, format = ?, etag = ?, last_modified = ?, body_sha256 = ?,
				interval_seconds = ?, next_check_at = ?, last_checked_at = ?, last_success_at = ?,
				last_error = '', last_error_kind = '', consecutive_failures = 0, failure_weight = 0,
				updated_at = CURRENT_TIMESTAMP
			WHERE id = ?`,
			f.Title, f.Format, etag, lastMod, sum, int64(interval/time.Second), now.Add(interval), now, now, f.ID)
		if err != nil {
			return fmt.Errorf("update feed %s: %w", f.URL, err)
		}
		if onNew != nil && len(ids) > 0 {
			return onNew(ctx, tx, ids, now)
		}
		return nil
	})
	if err != nil {
		return PollResult{}, fmt.Errorf("record check of feed %s: %w", f.URL, err)
	}
	res.Feed, err = outlets.FeedByID(ctx, s.db, f.ID)
	return res, err
}

// insertEntries records the items not seen before in this feed, keyed by
// canonical URL, with the host they are fetched from, and returns the ids
// of the new rows, in the items' order. The items go in a few multi-row
// statements (entriesPerInsert each) instead of one each: a feed lists
// 20–100 items, most of them seen at every check.
func insertEntries(ctx context.Context, tx *store.Tx, feedID int64, items []feeds.Item, now time.Time) ([]int64, error) {
	var ids []int64
	seen := map[string]bool{}
	args := make([]any, 0, 9*min(len(items), entriesPerInsert))
	insert := func() error {
		n := len(args) / 9
		if n == 0 {
			return nil
		}
		rows, err := tx.QueryContext(ctx, `
			INSERT INTO feed_entries (feed_id, url, host, guid, title, published_at, language, discovered_at, next_attempt_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`+strings.Repeat(", (?, ?, ?, ?, ?, ?, ?, ?, ?)", n-1)+`
			ON CONFLICT (feed_id, url) DO NOTHING
			RETURNING id`, args...)
		if err != nil {
			return fmt.Errorf("record %d items: %w", n, err)
		}
		added, err := store.Column[int64](rows)
		if err != nil {
			return fmt.Errorf("record %d items: %w", n, err)
		}
		// RETURNING's order is unspecified; ids are given in the rows'
		// order, on both stores.
		slices.Sort(added)
		ids = append(ids, added...)
		args = args[:0]
		return nil
	}
	for _, it := range items {
		u := extract.CanonicalURL(it.URL)
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		var published *time.Time
		if !it.Published.IsZero() {
			p := it.Published.UTC()
			published = &p
		}
		args = append(args, feedID, u, fetch.HostKey(u), it.GUID, it.Title, published, it.Language, now, now)
		if len(args) == 9*entriesPerInsert {
			if err := insert(); err != nil {
				return nil, err
			}
		}
	}
	if err := insert(); err != nil {
		return nil, err
	}
	return ids, nil
}

// entriesPerInsert bounds the rows of one insertEntries statement (9
// parameters each, far below SQLite's limit of 32,766).
const entriesPerInsert = 100

// entriesSince counts the feed's items published (else discovered) since t.
func entriesSince(ctx context.Context, q store.Querier, feedID int64, t time.Time) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `
		SELECT COUNT(*) FROM feed_entries
		WHERE feed_id = ? AND COALESCE(published_at, discovered_at) >= ?`, feedID, t).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count items of feed %d: %w", feedID, err)
	}
	return n, nil
}
