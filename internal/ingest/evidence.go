package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// capture is one archived HTTP exchange: the WARC response record's
// location and what the analyst needs to know about it without reading it.
type capture struct {
	ID          int64
	URL         string
	FinalURL    string
	Status      int
	ContentType string
	FetchedAt   time.Time
	Loc         archive.Location
	BodySHA256  string
	FeedID      *int64
	// RevisitOf is the capture whose payload a 304 confirmed: the record
	// at Loc is then a WARC revisit record that refers to it.
	RevisitOf *int64
}

// archiveResponse writes the exchanges behind resp to the WARC files:
// each redirect hop as its own response record, then the final answer,
// so that replaying the URL a feed linked to follows the redirects to the
// page. The WARC records are written before the database row that points
// at the last one, so a crash in between leaves unreferenced records,
// never a dangling row.
func (s *Service) archiveResponse(resp *fetch.Response) (*capture, error) {
	return s.archiveExchanges(resp, nil)
}

// archiveFeedResponse archives a feed's answer. A 304 is written as a
// revisit record that refers to the feed's last stored copy (the one the
// validators sent came from), so a replay of the feed at that capture
// shows that copy; without a readable stored copy it is written as the
// plain 304 it was.
func (s *Service) archiveFeedResponse(ctx context.Context, f outlets.Feed, resp *fetch.Response) (*capture, error) {
	var orig *capture
	if resp.NotModified && f.BodySHA256 != "" {
		c, err := lastFeedCapture(ctx, s.db, f)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return nil, err
		default:
			orig = &c
		}
	}
	c, err := s.archiveExchanges(resp, orig)
	if err != nil {
		return nil, err
	}
	c.FeedID = &f.ID
	return c, nil
}

func (s *Service) archiveExchanges(resp *fetch.Response, orig *capture) (*capture, error) {
	w, err := s.writer()
	if err != nil {
		return nil, err
	}
	for _, hop := range resp.Hops {
		if _, _, err := w.WriteExchange(exchangeOf(hop)); err != nil {
			return nil, fmt.Errorf("archive %s: %w", hop.FinalURL, err)
		}
	}
	ex := exchangeOf(resp)
	var revisitOf *int64
	if orig != nil {
		// The stored record says what it holds; one that cannot be read
		// back is no payload to refer to.
		if rec, err := archive.Read(context.Background(), s.cfg.Archive(), orig.Loc); err == nil {
			ex.Revisit = &archive.Original{RecordID: rec.RecordID, TargetURI: rec.TargetURI, Date: rec.Date,
				PayloadDigest: rec.PayloadDigest}
			revisitOf = &orig.ID
		} else {
			s.log.Warn("304 archived as a plain response: its stored copy is unreadable",
				"url", resp.FinalURL, "capture", orig.ID, "err", err)
		}
	}
	_, loc, err := w.WriteExchange(ex)
	if err != nil {
		return nil, fmt.Errorf("archive %s: %w", ex.URL, err)
	}
	return &capture{
		URL: resp.URL, FinalURL: ex.URL, Status: resp.Status, ContentType: resp.ContentType,
		FetchedAt: resp.FetchedAt.UTC(), Loc: loc, BodySHA256: resp.SHA256, RevisitOf: revisitOf,
	}, nil
}

// exchangeOf is the archive's view of one answer.
func exchangeOf(resp *fetch.Response) archive.Exchange {
	target := resp.FinalURL
	if target == "" {
		target = resp.URL
	}
	return archive.Exchange{
		URL:            target,
		Date:           resp.FetchedAt,
		IP:             resp.RemoteIP,
		Request:        resp.RawRequest,
		ResponseHeader: resp.RawHeader,
		ResponseBody:   resp.RawBody,
		PayloadSHA256:  resp.RawSHA256,
	}
}

// lastFeedCapture finds the feed's newest capture of the body it last
// stored, the one a 304 confirms.
func lastFeedCapture(ctx context.Context, q store.Querier, f outlets.Feed) (capture, error) {
	var id int64
	err := q.QueryRowContext(ctx, `
		SELECT id FROM captures
		WHERE feed_id = ? AND body_sha256 = ? AND status BETWEEN 200 AND 299
		ORDER BY fetched_at DESC, id DESC LIMIT 1`, f.ID, f.BodySHA256).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return capture{}, fmt.Errorf("stored copy of feed %d: %w", f.ID, store.ErrNotFound)
	}
	if err != nil {
		return capture{}, fmt.Errorf("stored copy of feed %d: %w", f.ID, err)
	}
	return loadCapture(ctx, q, id)
}

// save inserts the capture row; a nil capture is a no-op (nothing was
// received, so there is nothing to keep).
func (c *capture) save(ctx context.Context, q store.Querier) error {
	if c == nil || c.ID != 0 {
		return nil
	}
	err := q.QueryRowContext(ctx, `
		INSERT INTO captures (url, final_url, status, content_type, fetched_at, warc_file, warc_offset,
			warc_length, warc_record_id, warc_sha256, body_sha256, feed_id, revisit_of)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.URL, c.FinalURL, c.Status, c.ContentType, c.FetchedAt, c.Loc.File, c.Loc.Offset, c.Loc.Length,
		c.Loc.RecordID, c.Loc.SHA256, c.BodySHA256, c.FeedID, c.RevisitOf,
	).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("record capture of %s: %w", c.URL, err)
	}
	return nil
}

// saveCaptures is save for a group's captures, in one statement: nil
// captures and those saved already are skipped.
func saveCaptures(ctx context.Context, q store.Querier, cs []*capture) error {
	todo := make([]*capture, 0, len(cs))
	for _, c := range cs {
		if c != nil && c.ID == 0 {
			todo = append(todo, c)
		}
	}
	switch len(todo) {
	case 0:
		return nil
	case 1:
		return todo[0].save(ctx, q)
	}
	byLoc := make(map[archive.Location]*capture, len(todo))
	for _, c := range todo {
		byLoc[c.Loc] = c
	}
	// RETURNING's order is unspecified: each row is told by its record's
	// place in the WARC files, which no two captures share.
	var rows *sql.Rows
	var err error
	if q.Dialect() == store.Postgres {
		rows, err = q.QueryContext(ctx, saveCapturesPostgres, captureArrays(todo)...)
	} else {
		args := make([]any, 0, 13*len(todo))
		for _, c := range todo {
			args = append(args, c.URL, c.FinalURL, c.Status, c.ContentType, c.FetchedAt, c.Loc.File, c.Loc.Offset, c.Loc.Length,
				c.Loc.RecordID, c.Loc.SHA256, c.BodySHA256, c.FeedID, c.RevisitOf)
		}
		rows, err = q.QueryContext(ctx, `
			INSERT INTO captures (url, final_url, status, content_type, fetched_at, warc_file, warc_offset,
				warc_length, warc_record_id, warc_sha256, body_sha256, feed_id, revisit_of)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`+strings.Repeat(", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(todo)-1)+`
			RETURNING id, warc_file, warc_offset, warc_length, warc_record_id, warc_sha256`, args...)
	}
	if err != nil {
		return fmt.Errorf("record %d captures: %w", len(todo), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var loc archive.Location
		if err := rows.Scan(&id, &loc.File, &loc.Offset, &loc.Length, &loc.RecordID, &loc.SHA256); err != nil {
			return fmt.Errorf("record %d captures: %w", len(todo), err)
		}
		if c := byLoc[loc]; c != nil {
			c.ID = id
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("record %d captures: %w", len(todo), err)
	}
	for _, c := range todo {
		if c.ID == 0 {
			return fmt.Errorf("record captures: no row returned for the capture of %s", c.URL)
		}
	}
	return nil
}

// saveCapturesPostgres is saveCaptures' statement on PostgreSQL: the
// captures as arrays (captureArrays), one text whatever their number, so
// that it is prepared and planned once, where a VALUES list of each
// length was a statement of its own to parse and prepare, one round trip
// more, for most groups.
const saveCapturesPostgres = `
	INSERT INTO captures (url, final_url, status, content_type, fetched_at, warc_file, warc_offset,
		warc_length, warc_record_id, warc_sha256, body_sha256, feed_id, revisit_of)
	SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS text[]),
		CAST(? AS timestamptz[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS text[]),
		CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]))
	RETURNING id, warc_file, warc_offset, warc_length, warc_record_id, warc_sha256`

// captureArrays are saveCapturesPostgres' parameters for cs.
func captureArrays(cs []*capture) []any {
	n := len(cs)
	urls, finals, types, files, records, warcSHAs, bodySHAs := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	statuses, fetched := make([]int32, n), make([]time.Time, n)
	offsets, lengths, feeds, revisits := make([]int64, n), make([]int64, n), make([]*int64, n), make([]*int64, n)
	for i, c := range cs {
		urls[i], finals[i], statuses[i], types[i], fetched[i] = c.URL, c.FinalURL, int32(c.Status), c.ContentType, c.FetchedAt
		files[i], offsets[i], lengths[i], records[i], warcSHAs[i] = c.Loc.File, c.Loc.Offset, c.Loc.Length, c.Loc.RecordID, c.Loc.SHA256
		bodySHAs[i], feeds[i], revisits[i] = c.BodySHA256, c.FeedID, c.RevisitOf
	}
	return []any{urls, finals, statuses, types, fetched, files, offsets, lengths, records, warcSHAs, bodySHAs, feeds, revisits}
}

// id returns the row id for a nullable foreign key.
func (c *capture) id() *int64 {
	if c == nil || c.ID == 0 {
		return nil
	}
	return &c.ID
}

func loadCapture(ctx context.Context, q store.Querier, id int64) (capture, error) {
	var c capture
	err := q.QueryRowContext(ctx, `
		SELECT id, url, final_url, status, content_type, fetched_at, warc_file, warc_offset, warc_length,
			warc_record_id, warc_sha256, body_sha256, feed_id, revisit_of
		FROM captures WHERE id = ?`, id,
	).Scan(&c.ID, &c.URL, &c.FinalURL, &c.Status, &c.ContentType, &c.FetchedAt, &c.Loc.File, &c.Loc.Offset,
		&c.Loc.Length, &c.Loc.RecordID, &c.Loc.SHA256, &c.BodySHA256, &c.FeedID, &c.RevisitOf)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("capture %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("capture %d: %w", id, err)
	}
	return c, nil
}

// ArticleHTML returns an article's page as HTML text in UTF-8. A fetched
// page is read back from its WARC capture — the one copy kept, verified
// against its digests — and decoded as the fetcher decoded it (content
// encoding, then charset); pasted HTML, which has no capture, is in the
// article row. It is "" for an article that has neither (pasted text).
func (s *Service) ArticleHTML(ctx context.Context, a Article) (string, error) {
	return pageHTML(ctx, s.db, s.cfg.Archive(), a)
}

func pageHTML(ctx context.Context, q store.Querier, files archive.Files, a Article) (string, error) {
	if a.HTML != "" || a.CaptureID == nil {
		return a.HTML, nil
	}
	c, err := loadCapture(ctx, q, *a.CaptureID)
	if err != nil {
		return "", fmt.Errorf("page of article %d: %w", a.ID, err)
	}
	rec, err := readCapture(ctx, q, files, c)
	if err != nil {
		return "", fmt.Errorf("page of article %d: %w", a.ID, err)
	}
	text, err := fetch.DecodeBody(rec.Header, rec.Body)
	if err != nil {
		return "", fmt.Errorf("page of article %d: capture %d: %w", a.ID, c.ID, err)
	}
	return text, nil
}

// readCapture reads a capture back from the WARC files as a replay shows
// it: a revisit record is resolved to the stored response it refers to.
func readCapture(ctx context.Context, q store.Querier, files archive.Files, c capture) (*archive.Response, error) {
	rec, err := archive.Read(ctx, files, c.Loc)
	if err != nil {
		return nil, fmt.Errorf("capture %d in %s: %w", c.ID, c.Loc.File, err)
	}
	if rec.Revisit == nil {
		return rec, nil
	}
	if c.RevisitOf == nil {
		return nil, fmt.Errorf("capture %d is a revisit of a capture that is not recorded", c.ID)
	}
	orig, err := loadCapture(ctx, q, *c.RevisitOf)
	if err != nil {
		return nil, fmt.Errorf("capture %d revisits: %w", c.ID, err)
	}
	page, err := archive.Resolve(ctx, files, rec, orig.Loc)
	if err != nil {
		return nil, fmt.Errorf("capture %d revisits capture %d: %w", c.ID, orig.ID, err)
	}
	return page, nil
}
