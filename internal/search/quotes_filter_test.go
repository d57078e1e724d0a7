package search

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/quotes/candidates"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// seedQuotes gives three fixture articles quote candidates (two by Putin,
// in Persian and in Arabic spelling, one by someone off the roster) and
// one an analyst's clip.
func seedQuotes(t *testing.T, db *store.DB, ids map[string]int64) {
	t.Helper()
	ctx := context.Background()
	for _, stmt := range []string{
		`INSERT INTO people (key, name, native_name, aliases) VALUES ('vladimir-putin', 'Vladimir Putin', 'ولادیمیر پوتین', 'پوتين
بوتين')`,
		`INSERT INTO people (key, name) VALUES ('moheb-ali', 'Qassem Moheb-Ali')`,
		`INSERT INTO clips (article_id, speaker_id, outlet_id, clip_date, original, original_lang, translation)
			SELECT a.id, p.id, a.outlet_id, '2025-03-04', 'دیپلماسی می رود تا راهی تازه بیابد', 'fa', 'Diplomacy is finding a new way.'
			FROM articles a, people p WHERE a.canonical_url LIKE '%shargh-putin' AND p.key = 'moheb-ali'`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	for key, c := range map[string]struct{ kind, quote, speaker string }{
		"kayhan-putin":     {"indirect", "میان تهران و واشنگتن میانجی‌گری کند", "پوتین"},
		"alalam-putin":     {"direct", "الوَساطةَ في المحادثات النووية", "بوتين"},
		"tasnim-sanctions": {"direct", "تحریم ها علیه ایران افزایش یافته است", "خبرگزاری تسنیم"},
	} {
		var text string
		if err := db.QueryRowContext(ctx, `SELECT text FROM articles WHERE id = ?`, ids[key]).Scan(&text); err != nil {
			t.Fatal(err)
		}
		i := strings.Index(text, c.quote)
		if i < 0 {
			t.Fatalf("%q is not in %s", c.quote, key)
		}
		start := len([]rune(text[:i]))
		f := candidates.Found{Candidates: []candidates.Candidate{{Kind: c.kind, Start: start, End: start + len([]rune(c.quote)),
			Quote: c.quote, SpeakerName: c.speaker, Confidence: 0.9}}}
		if err := candidates.Save(ctx, db, ids[key], "", f, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestQuotesFilter selects articles by the quotes found or clipped in
// them, alone, with other filters and with words (which on SQLite takes
// narrowToFilters' path), negated, and refuses a value it does not know.
func TestQuotesFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := seedFixture(t, db)
		seedQuotes(t, db, ids)
		for _, tc := range []struct {
			q    string
			want int
		}{
			{`quotes:any`, 4},
			{`quotes:none`, 4},
			{`-quotes:any`, 4},
			{`quotes:found`, 3},
			{`quotes:direct`, 2},
			{`quotes:Indirect`, 1},
			{`quotes:clipped`, 1},
			{`quotes:direct,clipped`, 3},
			{`quotes:any outlet:kayhan`, 1},
			{`quotes:any lang:ar`, 1},
			{`مذاکرات quotes:any`, 2},
			{`مذاکرات quotes:none`, 1},
			{`مذاکرات -quotes:clipped`, 2},
		} {
			res, err := Search(ctx, db, Request{Query: tc.q})
			if err != nil {
				t.Fatalf("%s: %v", tc.q, err)
			}
			if res.Total != tc.want || len(res.Clips) != 0 {
				t.Errorf("%s: %d articles, %d clips; want %d articles", tc.q, res.Total, len(res.Clips), tc.want)
			}
		}
		if _, err := Search(ctx, db, Request{Query: `quotes:maybe`}); err == nil || !strings.Contains(err.Error(), "quotes:maybe is not a choice") {
			t.Errorf("quotes:maybe: %v", err)
		}
	})
}

// TestSpeakerSearchesQuoteCandidates: speaker: finds the quotes the
// finder attributed to any spelling of the person's names (Arabic yeh,
// Arabic script), beside their clips; quotes: chooses among them.
func TestSpeakerSearchesQuoteCandidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := seedFixture(t, db)
		seedQuotes(t, db, ids)
		for _, tc := range []struct {
			q    string
			want int
		}{
			{`speaker:vladimir-putin`, 2},
			{`speaker:putin quotes:direct`, 1},
			{`speaker:putin -quotes:indirect`, 1},
			{`speaker:putin quotes:clipped`, 0},
			{`speaker:putin lang:ar`, 1},
			{`speaker:putin orientation:hard-line`, 1},
			{`speaker:putin میانجیگری`, 1},
			{`speaker:putin after:2025-03-05`, 0},
			{`speaker:moheb-ali`, 1},
			{`speaker:moheb-ali quotes:found`, 0},
		} {
			res, err := Search(ctx, db, Request{Query: tc.q})
			if err != nil {
				t.Fatalf("%s: %v", tc.q, err)
			}
			if res.Total != tc.want || len(res.Clips) != tc.want || len(res.Hits) != 0 {
				t.Errorf("%s: %d results (%d total), %d hits; want %d", tc.q, len(res.Clips), res.Total, len(res.Hits), tc.want)
			}
		}
		res, _ := Search(ctx, db, Request{Query: `speaker:putin quotes:indirect`})
		if len(res.Clips) != 1 {
			t.Fatalf("speaker:putin quotes:indirect: %+v", res.Clips)
		}
		c := res.Clips[0]
		if c.CandidateID == 0 || c.ArticleID != ids["kayhan-putin"] || c.ClipID != 0 || c.TextHTML != "" ||
			!strings.Contains(c.OriginalHTML, "میانجی‌گری") || c.OriginalDir != "rtl" || c.Speaker.Key != "vladimir-putin" ||
			c.Outlet.Key != "kayhan" || c.Date != "2025-03-03" {
			t.Errorf("candidate %+v", c)
		}
		if _, err := Search(ctx, db, Request{Query: `speaker:putin quotes:none`}); err == nil {
			t.Errorf("speaker: with quotes:none was not refused")
		}
	})
}
