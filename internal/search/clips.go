package search

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// A query with speaker: searches clips — the quotes and passages of
// edition entries attributed to a speaker, the analysts' clips (package
// clips) not yet quoted in an edition, and the quotes the finder found
// and attributed to them (quotes_filter.go) — instead of articles:
// articles have no speaker, clips do. speaker: names a person by key, or
// by name or alias in either script (outlets.FindPeople). The words must
// occur in the clip's translation or its original; outlet:, orientation:
// and kind: apply to the entry's (or clip's) outlet, lang: to the
// original's language, after: and before: to the entry (or clip) date. A desk writes thousands of clips, not
// millions, so the speaker's clips are read and the words matched in Go,
// with the same normalization and the same semantics as the index.

// Clip is a matching part of an edition entry.
type Clip struct {
	// ClipID is the analyst's clip (package clips); EntryID, Item,
	// Position and EditionSlug are zero for a clip not in an edition.
	ClipID int64 `json:"clip,omitempty"`
	// CandidateID is a quote the finder found in article ArticleID and
	// nobody has clipped yet (see quotes:): it has an original and no
	// translation (TextHTML is empty).
	CandidateID int64     `json:"candidate,omitempty"`
	ArticleID   int64     `json:"article,omitempty"`
	EntryID     int64     `json:"entry_id"`
	Item        int       `json:"item"`
	Position    int       `json:"position"`
	Kind        string    `json:"kind"` // quote or text
	EditionSlug string    `json:"edition"`
	Date        string    `json:"date"`
	Speaker     PersonRef `json:"speaker"`
	Outlet      OutletRef `json:"outlet"`
	// TextHTML is the translation and OriginalHTML the original, both
	// HTML-escaped with matches in <mark>.
	TextHTML     string `json:"text_html"`
	OriginalHTML string `json:"original_html,omitempty"`
	OriginalLang string `json:"original_lang,omitempty"`
	OriginalDir  string `json:"original_dir,omitempty"`
	SourceURL    string `json:"source_url,omitempty"`
}

// PersonRef names a speaker.
type PersonRef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// entryOutlet is an entry's first outlet, a source before one that
// relayed it; outlet:, orientation: and kind: compare it. NULL for an
// entry that names no outlet.
const entryOutlet = `(SELECT eo.outlet_id FROM entry_outlets eo WHERE eo.entry_id = e.id
	ORDER BY eo.role <> 'source', eo.position LIMIT 1)`

var clipColumns = filterColumns{
	outletID: entryOutlet, lang: "p.original_lang", time: "e.entry_date",
	timeArg: func(t time.Time) any { return t.Format(dayLayout) },
}

func searchClips(ctx context.Context, db store.Querier, p plan, limit int, res Result) (Result, error) {
	res.Sort = SortNewest
	for _, f := range p.q.Filters {
		if f.Field == FieldSpeaker && f.Negate {
			return res, &Error{Pos: f.Pos, Msg: "speaker: cannot be negated; it chooses whose clips to search"}
		}
	}
	src, err := quotesSources(p.q.Filters)
	if err != nil {
		return res, err
	}
	var ids []any
	var asked []outlets.Person
	for _, v := range p.q.Values(FieldSpeaker) {
		people, err := outlets.FindPeople(ctx, db, v, 0)
		if err != nil {
			return res, fmt.Errorf("search clips: %w", err)
		}
		for _, person := range people {
			ids = append(ids, person.ID)
		}
		asked = append(asked, people...)
	}
	if len(ids) == 0 {
		return res, nil
	}
	// Before the queries: in a transaction, one connection serves one
	// result set at a time.
	roster, err := loadRoster(ctx, db)
	if err != nil {
		return res, err
	}
	var w where
	addFilters(&w, db.Dialect(), articleFilters(p.q.Filters), clipColumns)
	people := "(" + placeholders(len(ids)) + ")"
	args := append(ids, w.args...)
	var found []Clip
	mk := newMarker(newTermSet(p.e))
	defer mk.release()
	// An entry's part is shown under the first of its speakers asked for.
	queries := []string{`
		SELECT 0, e.id, p.item, p.position, p.kind, p.text, p.original, p.original_lang, p.source_url,
			e.entry_date, COALESCE(` + entryOutlet + `, 0), s.key, s.name, ed.slug
		FROM entry_parts p
		JOIN entries e ON e.id = p.entry_id
		JOIN people s ON s.id = (SELECT es.person_id FROM entry_speakers es
			WHERE es.entry_id = e.id AND es.person_id IN ` + people + ` ORDER BY es.position LIMIT 1)
		JOIN editions ed ON ed.id = e.edition_id
		WHERE ` + w.sql(), `
		SELECT c.id, 0, 0, 0, 'quote', c.translation, c.original, c.original_lang, c.source_url,
			c.clip_date, c.outlet_id, s.key, s.name, ''
		FROM clips c
		JOIN people s ON s.id = c.speaker_id AND s.id IN ` + people + `
		WHERE NOT EXISTS (SELECT 1 FROM entry_parts q WHERE q.clip_id = c.id) AND ` + analystClips.Replace(w.sql())}
	if !src.clips {
		queries = nil
	}
	for _, query := range queries {
		rows, err := db.QueryContext(ctx, query+` ORDER BY 10 DESC, 2 DESC, 1 DESC, 3, 4`, args...)
		if err != nil {
			return res, fmt.Errorf("search clips: %w", err)
		}
		for rows.Next() {
			var c Clip
			var body, original string
			var outletID int64
			if err := rows.Scan(&c.ClipID, &c.EntryID, &c.Item, &c.Position, &c.Kind, &body, &original, &c.OriginalLang, &c.SourceURL,
				&c.Date, &outletID, &c.Speaker.Key, &c.Speaker.Name, &c.EditionSlug); err != nil {
				rows.Close()
				return res, fmt.Errorf("search clips: %w", err)
			}
			if p.e != nil && !p.e.matches([][]string{text.IndexTerms(body), text.IndexTerms(original)}) {
				continue
			}
			c.Outlet = roster.ref(outletID)
			c.TextHTML = mk.highlightAll(body)
			if original != "" {
				c.OriginalHTML = mk.highlightAll(original)
				c.OriginalDir = dir(c.OriginalLang)
			}
			found = append(found, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return res, fmt.Errorf("search clips: %w", err)
		}
	}
	more, err := searchCandidates(ctx, db, p, asked, src.kinds, roster, mk)
	if err != nil {
		return res, err
	}
	found = append(found, more...)
	// Newest first across the kinds of clip, each query's order kept
	// within a day.
	sort.SliceStable(found, func(i, j int) bool { return found[i].Date > found[j].Date })
	res.Total = len(found)
	res.Clips = found[:min(limit, len(found))]
	return res, nil
}

// analystClips rewrites the filter columns of entries (e) and their parts
// (p) to those of the clips table (c), which filter it alike.
var analystClips = strings.NewReplacer(entryOutlet, "c.outlet_id", "p.original_lang", "c.original_lang", "e.entry_date", "c.clip_date")
