package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pressreview/pressreview/internal/archive"
	"github.com/pressreview/pressreview/internal/fetch"
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
}

// archiveResponse writes the exchange behind resp to the WARC files. The
// WARC record is written before the database row that points at it, so a
// crash in between leaves an unreferenced record, never a dangling row.
func (s *Service) archiveResponse(resp *fetch.Response) (*capture, error) {
	w, err := s.writer()
	if err != nil {
		return nil, err
	}
	target := resp.FinalURL
	if target == "" {
		target = resp.URL
	}
	_, loc, err := w.WriteExchange(archive.Exchange{
		URL:            target,
		Date:           resp.FetchedAt,
		IP:             resp.RemoteIP,
		Request:        resp.RawRequest,
		ResponseHeader: resp.RawHeader,
		ResponseBody:   resp.RawBody,
		PayloadSHA256:  resp.RawSHA256,
	})
	if err != nil {
		return nil, fmt.Errorf("archive %s: %w", target, err)
	}
	return &capture{
		URL: resp.URL, FinalURL: target, Status: resp.Status, ContentType: resp.ContentType,
		FetchedAt: resp.FetchedAt.UTC(), Loc: loc, BodySHA256: resp.SHA256,
	}, nil
}

// save inserts the capture row; a nil capture is a no-op (nothing was
// received, so there is nothing to keep).
func (c *capture) save(ctx context.Context, q store.Querier) error {
	if c == nil || c.ID != 0 {
		return nil
	}
	err := q.QueryRowContext(ctx, `
		INSERT INTO captures (url, final_url, status, content_type, fetched_at, warc_file, warc_offset,
			warc_length, warc_record_id, warc_sha256, body_sha256, feed_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.URL, c.FinalURL, c.Status, c.ContentType, c.FetchedAt, c.Loc.File, c.Loc.Offset, c.Loc.Length,
		c.Loc.RecordID, c.Loc.SHA256, c.BodySHA256, c.FeedID,
	).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("record capture of %s: %w", c.URL, err)
	}
	return nil
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
			warc_record_id, warc_sha256, body_sha256
		FROM captures WHERE id = ?`, id,
	).Scan(&c.ID, &c.URL, &c.FinalURL, &c.Status, &c.ContentType, &c.FetchedAt, &c.Loc.File, &c.Loc.Offset,
		&c.Loc.Length, &c.Loc.RecordID, &c.Loc.SHA256, &c.BodySHA256)
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
	return pageHTML(ctx, s.db, s.cfg.ArchiveDir(), a)
}

func pageHTML(ctx context.Context, q store.Querier, archiveDir string, a Article) (string, error) {
	if a.HTML != "" || a.CaptureID == nil {
		return a.HTML, nil
	}
	c, err := loadCapture(ctx, q, *a.CaptureID)
	if err != nil {
		return "", fmt.Errorf("page of article %d: %w", a.ID, err)
	}
	rec, err := archive.Read(archiveDir, c.Loc)
	if err != nil {
		return "", fmt.Errorf("page of article %d: capture %d in %s: %w", a.ID, c.ID, c.Loc.File, err)
	}
	text, err := fetch.DecodeBody(rec.Header, rec.Body)
	if err != nil {
		return "", fmt.Errorf("page of article %d: capture %d: %w", a.ID, c.ID, err)
	}
	return text, nil
}
