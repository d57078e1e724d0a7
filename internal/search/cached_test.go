package search

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/pressreview/pressreview/internal/search/gen"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestCacheAgrees: on SQLite, the searches and coverage that read the
// in-memory docCache give exactly what the SQL over search_docs gives (a
// search inside a transaction takes that path), for words, filters of
// every kind, negations, exclusions, both orders, pages, windows and
// facets, and go on agreeing as articles are indexed, re-indexed under
// another outlet and deleted, listings are added and removed, and the
// change log is pruned.
func TestCacheAgrees(t *testing.T) {
	defer func(n int) { countCap = n }(countCap)
	countCap = 40 // windows on the common words
	ctx := context.Background()
	g, err := gen.New(gen.Config{Outlets: 12, Days: 60, Seed: 7, PersianDir: persianCorpus})
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.SQLite(t)
	if _, err := gen.Load(ctx, db, g, 0, 300); err != nil {
		t.Fatal(err)
	}
	if _, err := Reindex(ctx, db); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	// Other outlets list some articles.
	exec(`INSERT INTO article_outlets (article_id, outlet_id) SELECT a.id, o.id FROM articles a, outlets o
		WHERE a.id % 17 = 0 AND o.id % 5 = 1 AND o.id <> a.outlet_id`)
	words := append(contractQueries(g)[:40], `پوتین`, `مذاکرات OR talks`, `ایران -مجلس`, `تحریم*`)
	filters := []string{``, `lang:fa`, `-lang:fa`, `orientation:reformist`, `-orientation:reformist,hard-line`,
		`outlet:outlet-01,outlet-06`, `kind:tv`, `after:2024-01-20`, `before:2024-02-10 after:2024-01-05`,
		`-after:2024-02-01`, `-before:2024-01-15 lang:ar,en`}
	agree := func(stage string) {
		t.Helper()
		for _, w := range append(words, `-پوتین`, `-(talks OR مذاکرات)`) {
			for _, f := range filters {
				q := w + " " + f
				if w[0] == '-' && f == `` {
					continue // nothing to search for
				}
				for _, req := range []Request{{Query: q, Limit: 7}, {Query: q, Facets: true, Limit: 7}, {Query: q, Sort: SortNewest, Limit: 7}} {
					compareSearch(t, db, stage, req)
				}
				for _, by := range []string{ByNone, ByOutlet, ByOrientation, ByLang} {
					cached, err := CoverageOf(ctx, db, CoverageRequest{Query: q, By: by, Interval: IntervalWeek})
					var inTx Coverage
					txErr := db.InTx(ctx, func(tx *store.Tx) (err error) {
						inTx, err = CoverageOf(ctx, tx, CoverageRequest{Query: q, By: by, Interval: IntervalWeek})
						return err
					})
					if a, b := asJSON(cached, err), asJSON(inTx, txErr); a != b {
						t.Fatalf("%s: coverage of %q by %q: cached\n%s\nSQL\n%s", stage, q, by, a, b)
					}
				}
			}
		}
	}
	agree("loaded")
	// Re-index articles under other outlets and dates, delete some, add
	// one, list and unlist.
	exec(`UPDATE articles SET outlet_id = (SELECT max(id) FROM outlets), published_at = '2024-01-02 03:04:05' WHERE id % 11 = 3`)
	rows, err := db.QueryContext(ctx, `SELECT id FROM articles WHERE id % 11 = 3`)
	if err != nil {
		t.Fatal(err)
	}
	var changed []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		changed = append(changed, id)
	}
	rows.Close()
	// Half one by one, half in one batch, as ingest does.
	for _, id := range changed[:len(changed)/2] {
		if err := IndexArticle(ctx, db, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := IndexArticles(ctx, db, changed[len(changed)/2:]); err != nil {
		t.Fatal(err)
	}
	agree("re-indexed")
	exec(`DELETE FROM articles WHERE id % 13 = 5`)
	exec(`DELETE FROM article_outlets WHERE article_id % 34 = 0`)
	exec(`INSERT INTO article_outlets (article_id, outlet_id) SELECT a.id, o.id FROM articles a, outlets o
		WHERE a.id % 19 = 0 AND o.id % 4 = 2 AND o.id <> a.outlet_id`)
	if _, err := gen.Load(ctx, db, g, 300, 320); err != nil {
		t.Fatal(err)
	}
	if _, err := Reindex(ctx, db); err != nil { // prunes the log: the cache reloads
		t.Fatal(err)
	}
	agree("changed")
}

// compareSearch runs req through the cache and through SQL, page by
// page, and fails on the first difference.
func compareSearch(t *testing.T, db *store.DB, stage string, req Request) {
	t.Helper()
	ctx := context.Background()
	for page := 0; page < 3; page++ {
		cached, err := Search(ctx, db, req)
		var inTx Result
		txErr := db.InTx(ctx, func(tx *store.Tx) (err error) {
			inTx, err = Search(ctx, tx, req)
			return err
		})
		if a, b := asJSON(cached, err), asJSON(inTx, txErr); a != b {
			t.Fatalf("%s: %+v: cached\n%s\nSQL\n%s", stage, req, a, b)
		}
		if cached.NextCursor == "" {
			return
		}
		req.Cursor = cached.NextCursor
	}
}

func asJSON(v any, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	b, _ := json.MarshalIndent(v, "", " ")
	return string(b)
}

// TestUncacheable: an archive whose article IDs are far sparser than its
// articles is searched through search_docs, with the same results.
func TestUncacheable(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	ids := seedFixture(t, db)
	// A copy of an article far beyond the others.
	const far = int64(1) << 40
	if _, err := db.ExecContext(ctx, `INSERT INTO articles (id, outlet_id, url, canonical_url, title, text, lang, published_at, source)
		SELECT ?, outlet_id, url || '#far', canonical_url || '#far', title, text, lang, published_at, source FROM articles WHERE id = ?`,
		far, ids["presstv-oman"]); err != nil {
		t.Fatal(err)
	}
	if err := IndexArticle(ctx, db, far); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second search finds the cache marked unusable
		res, err := Search(ctx, db, Request{Query: "talks lang:en", Sort: SortNewest, Facets: true})
		if err != nil || res.Total != 4 || len(res.Hits) != 4 || res.Hits[1].ArticleID != far {
			t.Fatalf("total %d, hits %+v, %v; want four articles, the far one second", res.Total, res.Hits, err)
		}
	}
	if c, err := cacheFor(ctx, db); c != nil || err != nil {
		t.Errorf("cacheFor = %v, %v; want no cache", c, err)
	}
}

// TestCachedOutletsFollowChanges: the outlets that a search shows and
// filters by are kept in memory with the docCache; an outlet renamed,
// re-oriented or added, by this instance or another sharing the
// database, is seen by the next search, in hits, filters, facets and
// coverage, as the SQL over the outlets table sees it.
func TestCachedOutletsFollowChanges(t *testing.T) {
	ctx := context.Background()
	g, err := gen.New(gen.Config{Outlets: 6, Days: 20, Seed: 3, PersianDir: persianCorpus})
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.SQLite(t)
	if _, err := gen.Load(ctx, db, g, 0, 150); err != nil {
		t.Fatal(err)
	}
	if _, err := Reindex(ctx, db); err != nil {
		t.Fatal(err)
	}
	other, err := store.Open(ctx, "sqlite:"+db.Path) // another instance
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	const word = `ایران`
	search := func(q string, facets bool) Result {
		t.Helper()
		res, err := Search(ctx, db, Request{Query: q, Facets: facets, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	ofOutlet := search(word+` outlet:outlet-01`, false)
	if ofOutlet.Total == 0 || ofOutlet.Total == search(word, false).Total {
		t.Fatalf("%d of %d matches in outlet-01; want some, not all", ofOutlet.Total, search(word, false).Total)
	}
	agree := func(stage string) {
		t.Helper()
		for _, q := range []string{word, word + ` outlet:"Renamed Daily"`, word + ` orientation:realigned`,
			word + ` -orientation:realigned`, word + ` outlet:OUTLET-NEW`, word + ` kind:website`} {
			for _, req := range []Request{{Query: q}, {Query: q, Facets: true}, {Query: q, Sort: SortNewest}} {
				compareSearch(t, db, stage, req)
			}
		}
	}
	agree("before")

	// Renamed by the other instance: the hits show the new name, and
	// outlet: finds it by that name.
	if _, err := other.ExecContext(ctx, `UPDATE outlets SET name = 'Renamed Daily' WHERE key = 'outlet-01'`); err != nil {
		t.Fatal(err)
	}
	res := search(word+` outlet:"Renamed Daily"`, false)
	if res.Total != ofOutlet.Total || len(res.Hits) == 0 || res.Hits[0].Outlet.Name != "Renamed Daily" {
		t.Errorf("after the rename: %d matches, %+v; want %d of Renamed Daily", res.Total, res.Hits, ofOutlet.Total)
	}
	agree("renamed")

	// Re-oriented by this instance: orientation: and the facets follow.
	if _, err := db.ExecContext(ctx, `UPDATE outlets SET orientation = 'realigned' WHERE key = 'outlet-01'`); err != nil {
		t.Fatal(err)
	}
	res = search(word+` orientation:realigned`, true)
	if res.Total != ofOutlet.Total || len(res.Facets.Orientations) != 1 || res.Facets.Orientations[0].Key != "realigned" {
		t.Errorf("after re-orienting: %d matches, orientations %+v; want %d, all realigned", res.Total, res.Facets.Orientations, ofOutlet.Total)
	}
	cov, err := CoverageOf(ctx, db, CoverageRequest{Query: word, By: ByOrientation})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(cov.Series, func(s Series) bool { return s.Key == "realigned" && s.Total == ofOutlet.Total }) {
		t.Errorf("coverage by orientation %+v; want a series realigned of %d", cov.Series, ofOutlet.Total)
	}
	agree("re-oriented")

	// Added by the other instance, and listing an article.
	if _, err := other.ExecContext(ctx, `INSERT INTO outlets (key, name, kind, orientation) VALUES ('outlet-new', 'New Outlet', 'website', 'fresh')`); err != nil {
		t.Fatal(err)
	}
	if _, err := other.ExecContext(ctx, `INSERT INTO article_outlets (article_id, outlet_id)
		SELECT ?, id FROM outlets WHERE key = 'outlet-new'`, ofOutlet.Hits[0].ArticleID); err != nil {
		t.Fatal(err)
	}
	res = search(word+` outlet:outlet-new`, true)
	if res.Total != 1 || !slices.ContainsFunc(res.Facets.Outlets, func(c Count) bool { return c.Key == "outlet-new" && c.Label == "New Outlet" }) {
		t.Errorf("after the addition: %d matches, outlets %+v; want 1, of New Outlet among them", res.Total, res.Facets.Outlets)
	}
	agree("added")
}
