package search

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// fixtureQueries are queries over the fixture with the articles they must
// find, the same on both stores.
var fixtureQueries = []struct {
	q    string
	want []string
}{
	{`پوتین`, []string{"kayhan-putin", "shargh-putin"}},
	// Joined, half-spaced and Arabic-keyboard spellings meet.
	// The spaced compound is joined too (the lexicon has میانجی‌گری).
	{`میانجیگری`, []string{"kayhan-putin", "shargh-putin"}},
	{`ميانجي‌گري`, []string{"kayhan-putin", "shargh-putin"}},
	{`"میانجی گری"`, []string{"kayhan-putin", "shargh-putin"}},
	{`میرود`, []string{"shargh-putin"}},
	{`می‌رود`, []string{"shargh-putin"}},
	{`"مذاکرات هسته‌ای"`, []string{"kayhan-talks", "shargh-putin", "tasnim-sanctions"}},
	{`تحریمها`, []string{"kayhan-talks", "tasnim-sanctions"}},
	{`تحریم*`, []string{"kayhan-talks", "tasnim-sanctions"}},
	{`۱۴۰۳`, []string{"tasnim-sanctions"}},
	{`1403`, []string{"tasnim-sanctions"}},
	// Harakat and teh marbuta.
	{`الوساطة`, []string{"alalam-putin"}},
	{`sanctions`, []string{"presstv-putin"}},
	{`Mediation`, []string{"presstv-oman", "presstv-putin"}},
	{`"nuclear talks" -oman`, []string{"presstv-putin"}},
	// A phrase does not run from the title into the text.
	{`"talks collapse"`, nil},
	{`talks outlet:presstv`, []string{"presstv-boundary", "presstv-oman", "presstv-putin"}},
	{`orientation:state-run`, []string{"alalam-putin", "presstv-boundary", "presstv-oman", "presstv-putin"}},
	{`putin OR پوتین`, []string{"kayhan-putin", "presstv-putin", "shargh-putin"}},
	// Words that match many times more articles than the filter selects
	// (narrowToFilters on SQLite).
	{`putin OR پوتین OR بوتين outlet:alalam`, []string{"alalam-putin"}},
	{`lang:ar`, []string{"alalam-putin"}},
	{`-lang:fa -lang:en`, []string{"alalam-putin"}},
	{`after:2025-03-05 before:2025-03-11`, []string{"presstv-oman", "presstv-putin", "tasnim-sanctions"}},
	{`kind:tv nuclear`, []string{"presstv-oman", "presstv-putin"}},
	{`outlet:کیهان`, []string{"kayhan-putin", "kayhan-talks"}},
	{`-oman lang:en`, []string{"presstv-boundary", "presstv-putin"}},
	{`(putin OR پوتین) -orientation:hard-line`, []string{"presstv-putin", "shargh-putin"}},
	{`mediat* -(oman OR washington)`, nil},
	{`mediat* -(oman washington)`, []string{"presstv-oman", "presstv-putin"}},
}

func TestSearchFixture(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := seedFixture(t, db)
		keys := invert(ids)
		for _, tc := range fixtureQueries {
			got := searchAll(t, db, Request{Query: tc.q, Sort: SortNewest, Limit: 3}, keys)
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.q, got, tc.want)
			}
			res, err := Search(context.Background(), db, Request{Query: tc.q, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != len(tc.want) {
				t.Errorf("%s: total %d, want %d", tc.q, res.Total, len(tc.want))
			}
		}
	})
}

// searchAll follows cursors to the end and returns the keys of all hits.
func searchAll(t *testing.T, db *store.DB, req Request, keys map[int64]string) []string {
	t.Helper()
	var out []string
	for range 100 {
		res, err := Search(context.Background(), db, req)
		if err != nil {
			t.Fatalf("%s: %v", req.Query, err)
		}
		for _, h := range res.Hits {
			out = append(out, keys[h.ArticleID])
		}
		if res.NextCursor == "" {
			return out
		}
		req.Cursor = res.NextCursor
	}
	t.Fatalf("%s: cursors do not end", req.Query)
	return nil
}

func invert(ids map[string]int64) map[int64]string {
	out := map[int64]string{}
	for k, v := range ids {
		out[v] = k
	}
	return out
}

func TestSearchOrderAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		keys := invert(seedFixture(t, db))
		newest := searchAll(t, db, Request{Query: "orientation:state-run", Limit: 1}, keys)
		want := []string{"presstv-boundary", "presstv-oman", "presstv-putin", "alalam-putin"}
		if !slices.Equal(newest, want) {
			t.Errorf("newest first = %v, want %v", newest, want)
		}
		// Relevance: a title match outranks a text match, and pages of one
		// hit add up to the whole result without repeats.
		ranked := searchAll(t, db, Request{Query: "talks", Limit: 1}, keys)
		if len(ranked) != 3 || ranked[0] != "presstv-boundary" && ranked[0] != "presstv-oman" {
			t.Errorf("talks by relevance = %v, want a title match first", ranked)
		}
		if distinct := slices.Compact(slices.Sorted(slices.Values(ranked))); len(distinct) != 3 {
			t.Errorf("relevance pages repeat hits: %v", ranked)
		}
		ctx := context.Background()
		res, err := Search(ctx, db, Request{Query: "talks", Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res.Sort != SortRelevance || res.Hits[0].Score <= 0 {
			t.Errorf("sort %q score %v, want relevance and a positive score", res.Sort, res.Hits[0].Score)
		}
		if _, err := Search(ctx, db, Request{Query: "oman", Cursor: res.NextCursor}); err == nil {
			t.Error("a cursor of another query was accepted")
		}
		if _, err := Search(ctx, db, Request{Query: "talks", Sort: "oldest"}); err == nil {
			t.Error("an unknown sort was accepted")
		}
	})
}

func TestSearchHighlights(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		keys := invert(seedFixture(t, db))
		ctx := context.Background()
		for _, tc := range []struct{ q, key, title, snippet string }{
			// The whole half-spaced word is marked, not a piece of it.
			{`میانجیگری`, "kayhan-putin", "پیشنهاد <mark>میانجی‌گری</mark> پوتین", "<mark>میانجی‌گری</mark> کند."},
			// Two words written apart that form one term are marked as one.
			{`میرود`, "shargh-putin", "", "دیپلماسی <mark>می رود</mark> تا"},
			// Harakat stay inside the marked word.
			{`الوساطة`, "alalam-putin", "بوتين يعرض <mark>الوساطة</mark> بين", "بوتين <mark>الوَساطةَ</mark> في"},
			{`"nuclear talks"`, "presstv-putin", "", "mediate <mark>nuclear talks</mark> between"},
			{`mediation`, "presstv-putin", "Putin offers to <mark>mediate</mark> between", ""},
		} {
			res, err := Search(ctx, db, Request{Query: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			var hit *Hit
			for i := range res.Hits {
				if keys[res.Hits[i].ArticleID] == tc.key {
					hit = &res.Hits[i]
				}
			}
			if hit == nil {
				t.Errorf("%s: %s not found", tc.q, tc.key)
				continue
			}
			if !strings.Contains(hit.TitleHTML, tc.title) || !strings.Contains(hit.SnippetHTML, tc.snippet) {
				t.Errorf("%s: title %q snippet %q, want %q and %q", tc.q, hit.TitleHTML, hit.SnippetHTML, tc.title, tc.snippet)
			}
			if wantDir := map[bool]string{true: "rtl", false: "ltr"}[hit.Lang != "en"]; hit.Dir != wantDir {
				t.Errorf("%s: dir %q for lang %q", tc.q, hit.Dir, hit.Lang)
			}
		}
	})
}

func TestFacets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seedFixture(t, db)
		res, err := Search(context.Background(), db, Request{Query: "پوتین OR putin OR بوتين", Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 4 {
			t.Errorf("total = %d, want 4", res.Total)
		}
		f := res.Facets
		wantOrient := []Count{{Key: "state-run", Count: 2}, {Key: "hard-line", Count: 1}, {Key: "reformist", Count: 1}}
		if !reflect.DeepEqual(f.Orientations, wantOrient) {
			t.Errorf("orientations = %+v", f.Orientations)
		}
		wantDays := []Count{{Key: "2025-03-03", Count: 1}, {Key: "2025-03-04", Count: 2}, {Key: "2025-03-06", Count: 1}}
		if !reflect.DeepEqual(f.Days, wantDays) {
			t.Errorf("days = %+v", f.Days)
		}
		wantLangs := []Count{{Key: "fa", Count: 2}, {Key: "ar", Count: 1}, {Key: "en", Count: 1}}
		if !reflect.DeepEqual(f.Langs, wantLangs) {
			t.Errorf("langs = %+v", f.Langs)
		}
		if len(f.Outlets) != 4 || f.Outlets[0].Key != "alalam" || f.Outlets[0].Label != "Al-Alam" {
			t.Errorf("outlets = %+v", f.Outlets)
		}
	})
}

func TestIndexArticleIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := seedFixture(t, db)
		ctx := context.Background()
		id := ids["presstv-oman"]
		count := func(q string) int {
			t.Helper()
			res, err := Search(ctx, db, Request{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		for range 2 {
			if err := IndexArticle(ctx, db, id); err != nil {
				t.Fatal(err)
			}
		}
		if n := count("oman"); n != 1 {
			t.Fatalf("after indexing twice: oman finds %d, want 1", n)
		}
		if _, err := db.ExecContext(ctx, `UPDATE articles SET title = 'Muscat hosts talks', text = 'A round in Muscat.' WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
		if err := IndexArticle(ctx, db, id); err != nil {
			t.Fatal(err)
		}
		if count("oman") != 0 || count("muscat") != 1 {
			t.Errorf("after an update: oman %d, muscat %d; want 0, 1", count("oman"), count("muscat"))
		}
		// Deleting the article removes it from the index, through the
		// foreign key; IndexArticle of a missing article is a no-op.
		if _, err := db.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
		if err := IndexArticle(ctx, db, id); err != nil {
			t.Fatal(err)
		}
		if n := count("muscat"); n != 0 {
			t.Errorf("after delete: muscat finds %d", n)
		}
		n, err := Reindex(ctx, db)
		if err != nil || n != len(fixtureArticles)-1 {
			t.Fatalf("Reindex = %d, %v", n, err)
		}
		if n := count("پوتین"); n != 2 {
			t.Errorf("after Reindex: %d hits, want 2", n)
		}
	})
}

// TestWindow: past the window, the total still counts every match, while
// the pages and facets are those of the newest matches and say so.
func TestWindow(t *testing.T) {
	defer func(n int) { countCap = n }(countCap)
	countCap = 2
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		keys := invert(seedFixture(t, db))
		ctx := context.Background()
		// Three articles say "talks"; the two added last make the window.
		for _, tc := range []struct {
			req   Request
			total int
		}{
			{Request{Query: "talks", Facets: true, Limit: 1}, 3},
			{Request{Query: "talks", Facets: true, Sort: SortNewest, Limit: 1}, 3},
			{Request{Query: "talks lang:en", Facets: true, Limit: 1}, 3}, // counted through the join
			{Request{Query: "lang:en", Facets: true, Limit: 1}, 3},       // no words: a window over search_docs
		} {
			req := tc.req
			res, err := Search(ctx, db, req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != tc.total || res.Window != 2 {
				t.Errorf("%s: total %d window %d, want %d matches and a window of 2", req.Query, res.Total, res.Window, tc.total)
			}
			if f := res.Facets; f.Of != 2 || f.Exact || len(f.Langs) != 1 || f.Langs[0].Count != 2 {
				t.Errorf("%s: facets of %d (exact %v), languages %+v; want the window's 2", req.Query, f.Of, f.Exact, f.Langs)
			}
			got := searchAll(t, db, Request{Query: req.Query, Sort: req.Sort, Limit: 1}, keys)
			slices.Sort(got)
			if want := []string{"presstv-boundary", "presstv-oman"}; !slices.Equal(got, want) {
				t.Errorf("%s (%s): pages hold %v, want %v", req.Query, req.Sort, got, want)
			}
			// The last page gives the whole count too.
			next, err := Search(ctx, db, Request{Query: req.Query, Sort: req.Sort, Limit: 1, Cursor: res.NextCursor})
			if err != nil || next.Total != tc.total || next.NextCursor != "" {
				t.Errorf("%s: total %d on the last page (next %q, %v), want %d", req.Query, next.Total, next.NextCursor, err, tc.total)
			}
		}
		var out strings.Builder
		if err := RunCLI(ctx, db, []string{"--facets", "talks"}, &out); err != nil ||
			!strings.HasPrefix(out.String(), "3 matches for talks (relevance, among the newest 2)") ||
			!strings.Contains(out.String(), "Counts of the newest 2 matches:") {
			t.Errorf("command line: %v\n%s", err, out.String())
		}
		res, err := Search(ctx, db, Request{Query: "sanctions", Facets: true})
		if err != nil || res.Total != 1 || res.Window != 0 || !res.Facets.Exact || res.Facets.Of != 1 {
			t.Errorf("under the window: total %d window %d facets %+v, %v", res.Total, res.Window, res.Facets, err)
		}
		// Coverage counts every match.
		c, err := CoverageOf(ctx, db, CoverageRequest{Query: "talks"})
		if err != nil || c.Total != 3 {
			t.Errorf("coverage total %d, %v; want 3", c.Total, err)
		}
	})
}

// TestListedByOtherOutlets: an article that other outlets list too (one
// URL in two outlets' feeds: article_outlets) is found by their outlet:,
// orientation: and kind: filters and counted in their facets, each facet
// count being what its filter finds; it still counts once in the total,
// the languages and the days.
func TestListedByOtherOutlets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := seedFixture(t, db)
		ctx := context.Background()
		// Press TV's Putin story is listed by Kayhan (another camp) and
		// Al-Alam (the same camp); Tasnim's sanctions story by Kayhan.
		for _, l := range []struct{ article, outlet string }{
			{"presstv-putin", "kayhan"}, {"presstv-putin", "alalam"}, {"tasnim-sanctions", "kayhan"},
		} {
			if _, err := db.ExecContext(ctx, `INSERT INTO article_outlets (article_id, outlet_id)
				SELECT ?, id FROM outlets WHERE key = ?`, ids[l.article], l.outlet); err != nil {
				t.Fatal(err)
			}
		}
		const q = "پوتین OR putin OR بوتين"
		res, err := Search(ctx, db, Request{Query: q, Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		f := res.Facets
		if res.Total != 4 || f.Of != 4 || !f.Exact {
			t.Errorf("total %d, facets of %d (exact %v); want 4", res.Total, f.Of, f.Exact)
		}
		wantOutlets := []Count{{Key: "alalam", Label: "Al-Alam", Count: 2}, {Key: "kayhan", Label: "Kayhan", Count: 2},
			{Key: "presstv", Label: "Press TV", Count: 1}, {Key: "shargh", Label: "Shargh Daily", Count: 1}}
		if !reflect.DeepEqual(f.Outlets, wantOutlets) {
			t.Errorf("outlets = %+v\nwant %+v", f.Outlets, wantOutlets)
		}
		wantOrient := []Count{{Key: "hard-line", Count: 2}, {Key: "state-run", Count: 2}, {Key: "reformist", Count: 1}}
		if !reflect.DeepEqual(f.Orientations, wantOrient) {
			t.Errorf("orientations = %+v\nwant %+v", f.Orientations, wantOrient)
		}
		wantLangs := []Count{{Key: "fa", Count: 2}, {Key: "ar", Count: 1}, {Key: "en", Count: 1}}
		if !reflect.DeepEqual(f.Langs, wantLangs) {
			t.Errorf("langs = %+v", f.Langs)
		}
		// Each facet count is what its filter finds, with words and alone.
		for _, c := range f.Outlets {
			narrowed := q + " " + Filter{Field: FieldOutlet, Values: []string{c.Key}}.String()
			if r, err := Search(ctx, db, Request{Query: narrowed}); err != nil || r.Total != c.Count {
				t.Errorf("%s: %d matches (%v), the facet says %d", narrowed, r.Total, err, c.Count)
			}
		}
		for _, c := range f.Orientations {
			narrowed := q + " " + Filter{Field: FieldOrientation, Values: []string{c.Key}}.String()
			if r, err := Search(ctx, db, Request{Query: narrowed}); err != nil || r.Total != c.Count {
				t.Errorf("%s: %d matches (%v), the facet says %d", narrowed, r.Total, err, c.Count)
			}
		}
		keys := invert(ids)
		for query, want := range map[string][]string{
			"outlet:kayhan":                  {"kayhan-putin", "kayhan-talks", "presstv-putin", "tasnim-sanctions"},
			"outlet:kayhan تحریم*":           {"kayhan-talks", "tasnim-sanctions"},
			"-outlet:kayhan " + q:            {"alalam-putin", "shargh-putin"},
			"kind:tv -orientation:hard-line": {"alalam-putin", "presstv-boundary", "presstv-oman"},
			"kind:newspaper lang:en":         {"presstv-putin"},
		} {
			got := searchAll(t, db, Request{Query: query, Sort: SortNewest}, keys)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", query, got, want)
			}
		}
		// Coverage by outlet counts the listings; by orientation, each camp
		// among an article's outlets once (Press TV's story is state-run
		// once though Al-Alam lists it too); of all articles, once each.
		for by, want := range map[string]int{ByOutlet: 6, ByOrientation: 5, ByNone: 4, ByLang: 4} {
			c, err := CoverageOf(ctx, db, CoverageRequest{Query: q, By: by})
			if err != nil || c.Total != want {
				t.Errorf("coverage by %q: total %d (%v), want %d", by, c.Total, err, want)
			}
			if by != ByOrientation {
				continue
			}
			// Each camp's series is what the orientation facet counts.
			for _, o := range f.Orientations {
				i := slices.IndexFunc(c.Series, func(s Series) bool { return s.Key == o.Key })
				if i < 0 || c.Series[i].Total != o.Count {
					t.Errorf("coverage by orientation: series %q = %+v, the facet says %d", o.Key, c.Series, o.Count)
				}
			}
		}
	})
}
