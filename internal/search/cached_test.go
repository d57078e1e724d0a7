package search

import (
	"context"
	"encoding/json"
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
