package ingest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestArticleIndexes: the articles table keeps the indexes its queries
// read, and not the two no query did (migration 00037): a lookup of an
// outlet's copy by content hash, as existingArticle and the group's copies
// make it, goes through articles_outlet_content.
func TestArticleIndexes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		list := `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles' AND name NOT LIKE 'sqlite_autoindex%'`
		if db.Dialect() == store.Postgres {
			list = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'articles'`
		}
		rows, err := db.QueryContext(ctx, list)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			names = append(names, n)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(names)
		want := []string{"articles_canonical_url", "articles_outlet_content", "articles_outlet_published",
			"articles_sh_band0", "articles_sh_band1", "articles_sh_band2", "articles_sh_band3", "articles_story"}
		if db.Dialect() == store.Postgres {
			want = append([]string{"articles_pkey"}, want...) // SQLite's rowid is the table itself
			slices.Sort(want)
		}
		if !slices.Equal(names, want) {
			t.Errorf("indexes on articles: %v, want %v", names, want)
		}

		// The lookup by outlet and content hash reads an index.
		lookup := `SELECT id FROM articles WHERE outlet_id = ? AND content_hash = ? AND content_hash <> ''`
		var plan []string
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			explain := `EXPLAIN QUERY PLAN ` + lookup
			if db.Dialect() == store.Postgres {
				// An empty table is read whole when allowed: the plan of a
				// grown one, by index, is what is checked.
				if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
					return err
				}
				explain = `EXPLAIN ` + lookup
			}
			rows, err := tx.QueryContext(ctx, explain, int64(1), "abc")
			if err != nil {
				return err
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				for i := range vals {
					vals[i] = new(any)
				}
				if err := rows.Scan(vals...); err != nil {
					return err
				}
				for _, v := range vals {
					if s, ok := (*v.(*any)).(string); ok {
						plan = append(plan, s)
					}
				}
			}
			return rows.Err()
		}); err != nil {
			t.Fatal(err)
		}
		if p := strings.Join(plan, "\n"); !strings.Contains(p, "articles_outlet_content") {
			t.Errorf("lookup by outlet and content hash: plan\n%s\nwithout articles_outlet_content", p)
		}
	})
}
