package search

import (
	"context"
	"math"
	"testing"

	"github.com/pressreview/pressreview/internal/search/gen"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestBM25AgreesWithFTS5: search_bm25, with the lengths of the docCache,
// gives every match of words, phrases, prefixes, OR and NOT the very
// score (to the bit) of FTS5's bm25, so that the ranking of the cached
// searches is FTS5's; its counts of the matches of a one-phrase query
// and of the rows it ranks are FTS5's; and all hold as articles are indexed (also after the
// cache was refreshed: FTS5 then measures them), re-indexed with other
// texts, deleted and listed. The searches through the cache and through
// search_docs are compared as well (the latter ranks with bm25).
func TestBM25AgreesWithFTS5(t *testing.T) {
	defer func(n int) { countCap = n }(countCap)
	countCap = 40
	ctx := context.Background()
	g, err := gen.New(gen.Config{Outlets: 12, Days: 60, Seed: 11, PersianDir: persianCorpus})
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
	queries := append(contractQueries(g), `ایران`, `مجلس`, `"مذاکرات هسته‌ای"`, `پوتین OR بوتين OR putin -washington`,
		`تحریم* -نفت`, `ایران مجلس`, `talks`, `(مذاکرات OR talks) -ایران`)
	agree := func(stage string, c *docCache, fresh map[int64]bool) {
		t.Helper()
		measured := 0
		for _, q := range queries {
			p, err := newPlan(store.SQLite, q)
			if err != nil || p.match.fts == "" {
				continue
			}
			s := &sink{cache: c}
			h := sinks.add(s)
			c.mu.RLock()
			rows, err := db.QueryContext(ctx, `SELECT rowid, `+sqliteScore+`, `+cachedScore+` FROM search_fts WHERE search_fts MATCH ?`, h, p.match.fts)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var id int64
				var want, got float64
				if err := rows.Scan(&id, &want, &got); err != nil {
					t.Fatal(err)
				}
				if math.Float64bits(want) != math.Float64bits(got) {
					t.Errorf("%s: %q, article %d: bm25 %v, search_bm25 %v", stage, q, id, want, got)
				}
				if _, ok := c.tokensOf(id); ok == fresh[id] {
					t.Errorf("%s: article %d: held by the cache %v, indexed after it %v", stage, id, ok, fresh[id])
				}
				if !fresh[id] {
					measured++
				}
				n++
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			rows.Close()
			c.mu.RUnlock()
			sinks.remove(h)
			if s.counted != (n > 0 && (p.e.op == opTerm || p.e.op == opPhrase)) || s.counted && s.hits != n || s.ranked != n {
				t.Errorf("%s: %q: %d matches, search_bm25 counted %v, %d, ranked %d", stage, q, n, s.counted, s.hits, s.ranked)
			}
		}
		if measured < 1000 {
			t.Fatalf("%s: only %d matches ranked with the cache's lengths", stage, measured)
		}
		// Last, as searches refresh the cache.
		for _, q := range queries {
			for _, req := range []Request{{Query: q, Limit: 7}, {Query: q, Facets: true, Limit: 7}} {
				compareSearch(t, db, stage, req)
			}
		}
	}
	cache := func() *docCache {
		t.Helper()
		c, err := cacheFor(ctx, db)
		if c == nil || err != nil {
			t.Fatal("no cache", err)
		}
		return c
	}
	agree("loaded", cache(), nil)

	// Articles indexed after the cache was refreshed are not in it.
	c := cache()
	if _, err := gen.Load(ctx, db, g, 300, 330); err != nil {
		t.Fatal(err)
	}
	fresh := map[int64]bool{}
	var ids []int64
	rows, err := db.QueryContext(ctx, `SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM search_docs)`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		fresh[id], ids = true, append(ids, id)
	}
	rows.Close()
	if err := IndexArticles(ctx, db, ids); err != nil {
		t.Fatal(err)
	}
	agree("indexed after the refresh", c, fresh)

	// Other texts, so other lengths, re-indexed one by one and in a batch;
	// deletions; listings.
	exec(`UPDATE articles SET text = text || ' ' || title WHERE id % 7 = 2`)
	exec(`UPDATE articles SET title = title || ' ' || title, text = substr(text, 1, length(text) / 2) WHERE id % 7 = 4`)
	for id := int64(1); id <= 330; id++ {
		if id%7 != 2 && id%7 != 4 {
			continue
		}
		if id%2 == 0 {
			if err := IndexArticle(ctx, db, id); err != nil {
				t.Fatal(err)
			}
		} else if err := IndexArticles(ctx, db, []int64{id}); err != nil {
			t.Fatal(err)
		}
	}
	exec(`DELETE FROM articles WHERE id % 13 = 5`)
	exec(`INSERT INTO article_outlets (article_id, outlet_id) SELECT a.id, o.id FROM articles a, outlets o
		WHERE a.id % 19 = 0 AND o.id % 4 = 2 AND o.id <> a.outlet_id`)
	agree("re-indexed, deleted, listed", cache(), nil)
	if _, err := Reindex(ctx, db); err != nil { // the cache reloads
		t.Fatal(err)
	}
	agree("reloaded", cache(), nil)
}
