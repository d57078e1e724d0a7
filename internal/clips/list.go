package clips

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// Filter chooses clips; empty fields do not filter.
type Filter struct {
	// Speaker is a person key, or a name or alias in either script
	// (outlets.FindPeople).
	Speaker string
	Outlet  string // outlet key
	Camp    string // outlet orientation, any case
	Edition string // slug of an edition that quotes the clip
	Status  string // ok, changed or deleted
	// After and Before (YYYY-MM-DD) bound the clip date: after: includes
	// its day, before: excludes it, as in search.
	After, Before string
	Article       int64
	// Limit caps the clips returned (0: all); Offset skips the first ones.
	Limit, Offset int

	id int64
}

const anchorColumns = `a.id, a.revision_id, a.capture_id, a.capture_digest, a.start_cp, a.end_cp, a.exact, a.prefix, a.suffix, a.created_at`

// scanAnchor scans anchorColumns after the destinations in before.
func scanAnchor(rows *sql.Rows, before ...any) (Anchor, error) {
	var a Anchor
	var rev, capt sql.NullInt64
	dest := append(before, &a.ID, &rev, &capt, &a.CaptureDigest, &a.Start, &a.End, &a.Exact, &a.Prefix, &a.Suffix, &a.CreatedAt)
	if err := rows.Scan(dest...); err != nil {
		return a, err
	}
	a.Revision, a.Capture = nullInt(rev), nullInt(capt)
	a.CreatedAt = a.CreatedAt.UTC()
	return a, nil
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

// List returns the clips f chooses, newest date first.
func (s *Service) List(ctx context.Context, f Filter) ([]Clip, error) {
	return list(ctx, s.db, f)
}

func list(ctx context.Context, q store.Querier, f Filter) ([]Clip, error) {
	var conds []string
	var args []any
	switch f.Status {
	case "", StatusOK, StatusChanged, StatusDeleted:
	default:
		return nil, invalid("status", "%q: want ok, changed or deleted", f.Status)
	}
	for _, d := range []struct{ field, day string }{{"after", f.After}, {"before", f.Before}} {
		if _, err := time.Parse(time.DateOnly, d.day); d.day != "" && err != nil {
			return nil, invalid(d.field, "%q is not a date in the form 2025-03-07", d.day)
		}
	}
	if f.Speaker != "" {
		people, err := outlets.FindPeople(ctx, q, f.Speaker, 0)
		if err != nil {
			return nil, err
		}
		if len(people) == 0 {
			return []Clip{}, nil
		}
		ph := make([]string, len(people))
		for i, p := range people {
			ph[i] = "?"
			args = append(args, p.ID)
		}
		conds = append(conds, "c.speaker_id IN ("+strings.Join(ph, ", ")+")")
	}
	for _, c := range []struct {
		on   bool
		cond string
		arg  any
	}{
		{f.id != 0, "c.id = ?", f.id},
		{f.Article != 0, "c.article_id = ?", f.Article},
		{f.Outlet != "", "o.key = ?", strings.ToLower(f.Outlet)},
		{f.Camp != "", "lower(o.orientation) = ?", strings.ToLower(f.Camp)},
		{f.Status != "", "c.status = ?", f.Status},
		{f.After != "", "c.clip_date >= ?", f.After},
		{f.Before != "", "c.clip_date < ?", f.Before},
		{f.Edition != "", `c.id IN (SELECT p.clip_id FROM entry_parts p JOIN entries e ON e.id = p.entry_id
			JOIN editions ed ON ed.id = e.edition_id WHERE ed.slug = ?)`, f.Edition},
	} {
		if c.on {
			conds = append(conds, c.cond)
			args = append(args, c.arg)
		}
	}
	where := "TRUE"
	if len(conds) > 0 {
		where = strings.Join(conds, " AND ")
	}
	page := ""
	if f.Limit > 0 {
		page = " LIMIT " + strconv.Itoa(f.Limit) + " OFFSET " + strconv.Itoa(max(f.Offset, 0))
	}
	editions, err := clipEditions(ctx, q, f.id)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `
		SELECT c.id, c.article_id, c.original, c.original_lang, c.translation, c.translation_machine,
			s.key, s.name, s.native_name, s.role, o.key, o.name, o.native_name, o.orientation,
			c.clip_date, c.intermediary, c.source_url, c.status, c.status_note, c.status_diff, c.checked_at,
			c.created_by, c.created_at,
			(SELECT capture_id FROM clip_anchors WHERE clip_id = c.id ORDER BY id LIMIT 1),
			`+anchorColumns+`
		FROM clips c
		JOIN people s ON s.id = c.speaker_id
		JOIN outlets o ON o.id = c.outlet_id
		JOIN clip_anchors a ON a.id = (SELECT MAX(id) FROM clip_anchors WHERE clip_id = c.id)
		WHERE `+where+`
		ORDER BY c.clip_date DESC, c.id DESC`+page, args...)
	if err != nil {
		return nil, fmt.Errorf("list clips: %w", err)
	}
	defer rows.Close()
	out := []Clip{}
	for rows.Next() {
		var c Clip
		var checked sql.NullTime
		var firstCapture sql.NullInt64
		a, err := scanAnchor(rows, &c.ID, &c.Article, &c.Original, &c.OriginalLang, &c.Translation, &c.TranslationMachine,
			&c.Speaker.Key, &c.Speaker.Name, &c.Speaker.NativeName, &c.Speaker.Role,
			&c.Outlet.Key, &c.Outlet.Name, &c.Outlet.NativeName, &c.Outlet.Orientation,
			&c.Date, &c.Intermediary, &c.SourceURL, &c.Status, &c.Note, &c.Diff, &checked,
			&c.CreatedBy, &c.CreatedAt, &firstCapture)
		if err != nil {
			return nil, fmt.Errorf("list clips: %w", err)
		}
		c.Anchor = a
		c.CreatedAt = c.CreatedAt.UTC()
		if checked.Valid {
			t := checked.Time.UTC()
			c.CheckedAt = &t
		}
		if firstCapture.Valid {
			c.Archive = ArchivePath(firstCapture.Int64)
		}
		c.Editions = editions[c.ID]
		if c.Editions == nil {
			c.Editions = []string{}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ArchivePath is where the studio serves a capture.
func ArchivePath(captureID int64) string { return "/archive/" + strconv.FormatInt(captureID, 10) }

// clipEditions maps clip ids (or only clipID, if not 0) to the slugs of
// the editions that quote them. Quoted clips are a small part of a desk's
// clips, so they are read whole.
func clipEditions(ctx context.Context, q store.Querier, clipID int64) (map[int64][]string, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT DISTINCT p.clip_id, ed.slug FROM entry_parts p
		JOIN entries e ON e.id = p.entry_id JOIN editions ed ON ed.id = e.edition_id
		WHERE p.clip_id IS NOT NULL AND (? = 0 OR p.clip_id = ?) ORDER BY p.clip_id, ed.slug`, clipID, clipID)
	if err != nil {
		return nil, fmt.Errorf("editions of clips: %w", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var slug string
		if err := rows.Scan(&id, &slug); err != nil {
			return nil, err
		}
		out[id] = append(out[id], slug)
	}
	return out, rows.Err()
}

// Get returns a clip with all its anchors and checks.
func (s *Service) Get(ctx context.Context, id int64) (Clip, error) {
	cs, err := list(ctx, s.db, Filter{id: id})
	if err != nil {
		return Clip{}, err
	}
	if len(cs) == 0 {
		return Clip{}, &Error{Code: NotFound, Field: "id", Message: fmt.Sprintf("no clip %d", id)}
	}
	c := cs[0]
	rows, err := s.db.QueryContext(ctx, `SELECT `+anchorColumns+` FROM clip_anchors a WHERE a.clip_id = ? ORDER BY a.id`, id)
	if err != nil {
		return c, fmt.Errorf("anchors of clip %d: %w", id, err)
	}
	for rows.Next() {
		a, err := scanAnchor(rows)
		if err != nil {
			rows.Close()
			return c, fmt.Errorf("anchors of clip %d: %w", id, err)
		}
		c.Anchors = append(c.Anchors, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT revision_id, checked_at, status, note, diff, anchor_id FROM clip_checks WHERE clip_id = ? ORDER BY id`, id)
	if err != nil {
		return c, fmt.Errorf("checks of clip %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k Check
		var anchor sql.NullInt64
		if err := rows.Scan(&k.Revision, &k.CheckedAt, &k.Status, &k.Note, &k.Diff, &anchor); err != nil {
			return c, fmt.Errorf("checks of clip %d: %w", id, err)
		}
		k.CheckedAt, k.Anchor = k.CheckedAt.UTC(), nullInt(anchor)
		c.Checks = append(c.Checks, k)
	}
	return c, rows.Err()
}
