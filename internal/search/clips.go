package search

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/text"
)

// A query with speaker: searches clips — the quotes and passages of
// edition entries attributed to a speaker — instead of articles: articles
// have no speaker, clips do. The words must occur in the clip's
// translation or its original; outlet:, orientation: and kind: apply to
// the entry's outlet, lang: to the original's language, after: and
// before: to the entry date. A desk writes thousands of clips, not
// millions, so the speaker's clips are read and the words matched in Go,
// with the same normalization and the same semantics as the index.

// Clip is a matching part of an edition entry.
type Clip struct {
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

var clipColumns = filterColumns{
	outletID: "e.outlet_id", lang: "p.original_lang", time: "e.entry_date",
	timeArg: func(t time.Time) any { return t.Format(dayLayout) },
}

func searchClips(ctx context.Context, db store.Querier, p plan, limit int, res Result) (Result, error) {
	res.Sort = SortNewest
	var w where
	var speakers []string
	var args []any
	for _, v := range p.q.Values(FieldSpeaker) {
		v = strings.ToLower(v)
		speakers = append(speakers, "lower(s.key) = ? OR lower(s.name) LIKE ? ESCAPE '\\' OR lower(s.native_name) LIKE ? ESCAPE '\\'")
		like := "%" + likeEscape.Replace(v) + "%"
		args = append(args, v, like, like)
	}
	w.add("("+strings.Join(speakers, " OR ")+")", args...)
	for _, f := range p.q.Filters {
		if f.Field == FieldSpeaker && f.Negate {
			return res, &Error{Pos: f.Pos, Msg: "speaker: cannot be negated; it chooses whose clips to search"}
		}
	}
	addFilters(&w, db.Dialect(), articleFilters(p.q.Filters), clipColumns)
	// Before the query: in a transaction, one connection serves one
	// result set at a time.
	roster, err := loadRoster(ctx, db)
	if err != nil {
		return res, err
	}
	rows, err := db.QueryContext(ctx, `
		SELECT e.id, p.item, p.position, p.kind, p.text, p.original, p.original_lang, p.source_url,
			e.entry_date, e.outlet_id, s.key, s.name, ed.slug
		FROM entry_parts p
		JOIN entries e ON e.id = p.entry_id
		JOIN people s ON s.id = e.speaker_id
		JOIN editions ed ON ed.id = e.edition_id
		WHERE `+w.sql()+`
		ORDER BY e.entry_date DESC, e.id DESC, p.item, p.position`, w.args...)
	if err != nil {
		return res, fmt.Errorf("search clips: %w", err)
	}
	defer rows.Close()
	mk := newMarker(newTermSet(p.e))
	for rows.Next() {
		var c Clip
		var body, original string
		var outletID int64
		if err := rows.Scan(&c.EntryID, &c.Item, &c.Position, &c.Kind, &body, &original, &c.OriginalLang, &c.SourceURL,
			&c.Date, &outletID, &c.Speaker.Key, &c.Speaker.Name, &c.EditionSlug); err != nil {
			return res, fmt.Errorf("search clips: %w", err)
		}
		if p.e != nil && !p.e.matches([][]string{text.IndexTerms(body), text.IndexTerms(original)}) {
			continue
		}
		res.Total++
		if len(res.Clips) == limit {
			continue // keep counting
		}
		c.Outlet = roster.ref(outletID)
		c.TextHTML = mk.highlightAll(body)
		if original != "" {
			c.OriginalHTML = mk.highlightAll(original)
			c.OriginalDir = dir(c.OriginalLang)
		}
		res.Clips = append(res.Clips, c)
	}
	return res, rows.Err()
}

var likeEscape = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
