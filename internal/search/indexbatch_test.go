package search

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// indexSnapshot lists the whole index: every document row and, for
// SQLite, every term instance in search_fts (contentless, so read
// through fts5vocab); for PostgreSQL the tsvector.
func indexSnapshot(t *testing.T, db *store.DB) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	tsv := `''`
	if db.Dialect() == store.Postgres {
		tsv = `tsv::text`
	}
	rows, err := db.QueryContext(ctx, `SELECT article_id, outlet_id, lang, published_unix, day, `+tsv+` FROM search_docs ORDER BY article_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, outlet, pub int64
		var lang, day, vec string
		if err := rows.Scan(&id, &outlet, &lang, &pub, &day, &vec); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("doc %d %d %q %d %s %s", id, outlet, lang, pub, day, vec))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if db.Dialect() == store.SQLite {
		if _, err := db.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, search_fts, 'instance')`); err != nil {
			t.Fatal(err)
		}
		rows, err := db.QueryContext(ctx, `SELECT term, doc, col, "offset" FROM temp.search_vocab ORDER BY doc, col, "offset"`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var term, col string
			var doc, off int64
			if err := rows.Scan(&term, &doc, &col, &off); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("fts %d %s %d %s", doc, col, off, term))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestIndexArticlesEqualsIndexArticle indexes the fixture article by
// article, then the batch way after the index was emptied and the
// articles changed, and compares the two indexes entry by entry.
func TestIndexArticlesEqualsIndexArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		byKey := seedFixture(t, db)
		var ids []int64
		for _, a := range fixtureArticles {
			ids = append(ids, byKey[a.key])
		}
		// Changes both ways must see: an edit, and a deleted article.
		if _, err := db.ExecContext(ctx, `UPDATE articles SET title = 'Muscat hosts talks', text = 'A round in Muscat.' WHERE id = ?`, byKey["presstv-oman"]); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, byKey["kayhan-talks"]); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := IndexArticle(ctx, db, id); err != nil {
				t.Fatal(err)
			}
		}
		want := indexSnapshot(t, db)
		if len(want) == 0 {
			t.Fatal("empty index")
		}

		if _, err := db.ExecContext(ctx, `DELETE FROM search_docs`); err != nil {
			t.Fatal(err)
		}
		if got := indexSnapshot(t, db); len(got) != 0 {
			t.Fatalf("index not emptied: %d entries", len(got))
		}
		// Half of them already indexed (stale), some twice in the list,
		// one missing: the batch must upsert, dedupe and skip.
		for _, id := range ids[:3] {
			if err := IndexArticle(ctx, db, id); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ExecContext(ctx, `UPDATE articles SET title = title || ' x' WHERE id = ?`, ids[0]); err != nil {
			t.Fatal(err)
		}
		batch := append(slices.Clone(ids), ids[1], ids[0])
		err := db.InTx(ctx, func(tx *store.Tx) error { return IndexArticles(ctx, tx, batch) })
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `UPDATE articles SET title = substr(title, 1, length(title) - 2) WHERE id = ?`, ids[0]); err != nil {
			t.Fatal(err)
		}
		if err := IndexArticles(ctx, db, ids[:1]); err != nil {
			t.Fatal(err)
		}
		if got := indexSnapshot(t, db); !slices.Equal(got, want) {
			t.Errorf("IndexArticles gives\n%q\nIndexArticle gave\n%q", got, want)
		}
		if err := IndexArticles(ctx, db, nil); err != nil {
			t.Errorf("empty batch: %v", err)
		}
	})
}
