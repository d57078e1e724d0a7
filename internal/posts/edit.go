package posts

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/valid"
)

// What the studio needs beside what the site and import use: every
// analysis, event and image whatever its status, and the links of one
// analysis to fill its form.

// MaxImagePixels caps an image's size in pixels: the site decodes the
// whole picture to resize it, and a small file can claim a huge canvas.
const MaxImagePixels = 40_000_000

// checkOnlineURL accepts an empty link or an https URL with a host: the
// link is mailed to registrants and put in calendars, where a plain-http
// or javascript: link has no place.
func checkOnlineURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return valid.Errorf("online_url", "%q is not an https:// link", s)
	}
	return nil
}

// AnalysisRow is an analysis as the studio lists it.
type AnalysisRow struct {
	Slug, Title, Category, Status string
	PublishAt                     *time.Time
	UpdatedAt                     time.Time
	Authors                       []string // names, in byline order
}

// ListAnalyses returns every analysis, drafts included, most recently
// changed first.
func ListAnalyses(ctx context.Context, q store.Querier) ([]AnalysisRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, slug, title, category, status, publish_at, updated_at
		FROM analyses ORDER BY updated_at DESC, slug`)
	if err != nil {
		return nil, fmt.Errorf("list analyses: %w", err)
	}
	defer rows.Close()
	var (
		out []AnalysisRow
		at  = map[int64]int{}
	)
	for rows.Next() {
		var (
			a        AnalysisRow
			id       int64
			pub, upd nullTime
		)
		if err := rows.Scan(&id, &a.Slug, &a.Title, &a.Category, &a.Status, &pub, &upd); err != nil {
			return nil, fmt.Errorf("list analyses: %w", err)
		}
		if pub.Valid {
			a.PublishAt = &pub.Time
		}
		a.UpdatedAt = upd.Time
		at[id] = len(out)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	names, err := q.QueryContext(ctx, `SELECT x.analysis_id, au.name FROM analysis_authors x
		JOIN authors au ON au.id = x.author_id ORDER BY x.analysis_id, x.position`)
	if err != nil {
		return nil, fmt.Errorf("list analysis authors: %w", err)
	}
	defer names.Close()
	for names.Next() {
		var (
			id   int64
			name string
		)
		if err := names.Scan(&id, &name); err != nil {
			return nil, err
		}
		if i, ok := at[id]; ok {
			out[i].Authors = append(out[i].Authors, name)
		}
	}
	return out, names.Err()
}

// analysisLinks reads the author keys (in byline order) and tag keys of
// analysis id.
func analysisLinks(ctx context.Context, q store.Querier, id int64) (authors, tags []string, err error) {
	for _, l := range []struct {
		query string
		into  *[]string
	}{
		{`SELECT au.key FROM analysis_authors x JOIN authors au ON au.id = x.author_id WHERE x.analysis_id = ? ORDER BY x.position`, &authors},
		{`SELECT t.key FROM analysis_tags x JOIN tags t ON t.id = x.tag_id WHERE x.analysis_id = ? ORDER BY t.key`, &tags},
	} {
		rows, err := q.QueryContext(ctx, l.query, id)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, nil, err
			}
			*l.into = append(*l.into, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	return authors, tags, nil
}

// AllEvents returns every event, drafts included, latest start first.
func AllEvents(ctx context.Context, q store.Querier) ([]*EventPage, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+eventColumns+` FROM events e ORDER BY e.starts_at DESC, e.slug`)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	var (
		out  []*EventPage
		imgs []int64
	)
	for rows.Next() {
		p, img, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out, imgs = append(out, p), append(imgs, img)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, fillEvents(ctx, q, out, imgs)
}

// ListImages returns the metadata of every image, newest first.
func ListImages(ctx context.Context, q store.Querier) ([]Image, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+imageMetaColumns+` FROM images ORDER BY created_at DESC, key`)
	if err != nil {
		return nil, fmt.Errorf("list images: %w", err)
	}
	defer rows.Close()
	var out []Image
	for rows.Next() {
		im, err := scanImageMeta(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	return out, rows.Err()
}
