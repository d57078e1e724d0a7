package search

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pressreview/pressreview/internal/search/gen"
	"github.com/pressreview/pressreview/internal/sharedtest"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// persianCorpus is the real Persian news the generator learns from when
// it is present (it is never copied into the project).
var persianCorpus, _ = sharedtest.Path(sharedtest.Targoman)

const contractArticles = 600

// TestStoresAgree is the contract between the two stores: on the same
// generated archive, every query finds the same articles, in the same
// newest-first order, on SQLite and PostgreSQL, and those are the
// articles the reference evaluator (expr.matches) selects.
func TestStoresAgree(t *testing.T) {
	ctx := context.Background()
	g, err := gen.New(gen.Config{Outlets: 12, Days: 60, Seed: 7, PersianDir: persianCorpus})
	if err != nil {
		t.Fatal(err)
	}
	dbs := map[string]*store.DB{"sqlite": storetest.SQLite(t), "postgres": storetest.Postgres(t)}
	for name, db := range dbs {
		if _, err := gen.Load(ctx, db, g, 0, contractArticles); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n, err := Reindex(ctx, db); err != nil || n != contractArticles {
			t.Fatalf("%s: Reindex = %d, %v", name, n, err)
		}
	}
	docs := make([]doc, contractArticles)
	for i := range docs {
		a := g.Article(i)
		docs[i] = makeDoc(articleRow{id: int64(i + 1), title: a.Title, text: a.Text})
	}
	queries := append(contractQueries(g), `پوتین`, `"میانجی گری"`, `میانجیگری OR الوساطة OR mediation`,
		`"nuclear talks" -muscat`, `تحریم*`, `sanction* OR عقوبات`, `انتخابات -(مشارکت کم)`)
	filtered := []string{`orientation:reformist`, `lang:ar -kind:tv`, `outlet:outlet-01,outlet-03 talks`,
		`after:2024-01-20 before:2024-02-10 -lang:fa`, `-orientation:hard-line پوتین`,
		`ایران outlet:outlet-05 after:2024-01-20 before:2024-02-10`} // narrowed on SQLite
	for _, q := range append(queries, filtered...) {
		got := map[string][]int64{}
		for name, db := range dbs {
			got[name] = allIDs(t, db, q)
		}
		if !slices.Equal(got["sqlite"], got["postgres"]) {
			t.Errorf("%s: SQLite finds %v, PostgreSQL %v", q, got["sqlite"], got["postgres"])
		}
		if slices.Contains(filtered, q) {
			continue
		}
		parsed, _ := Parse(q)
		e, err := compile(parsed)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var want []int64
		for _, d := range docs {
			if e.matches([][]string{d.title, d.body}) {
				want = append(want, d.articleID)
			}
		}
		sorted := slices.Sorted(slices.Values(got["sqlite"]))
		if !slices.Equal(sorted, want) {
			t.Errorf("%s: stores find %d articles, the reference %d", q, len(sorted), len(want))
		}
	}
}

// contractQueries builds queries from words of the generated articles, as
// written: single words, pairs, phrases, prefixes, OR and exclusions.
func contractQueries(g *gen.Generator) []string {
	r := rand.New(rand.NewPCG(1, 2))
	word := func() []string {
		ws := strings.Fields(g.Article(r.IntN(contractArticles)).Text)
		i := r.IntN(len(ws) - 1)
		return []string{strings.Trim(ws[i], ".،,"), strings.Trim(ws[i+1], ".،,")}
	}
	var qs []string
	for range 30 {
		a, b, c := word(), word(), word()
		qs = append(qs, a[0], a[0]+" "+b[0], `"`+a[0]+" "+a[1]+`"`, b[0]+" OR "+c[0]+" -"+a[0])
		if p := []rune(c[1]); len(p) >= 4 && utf8.ValidString(c[1]) {
			qs = append(qs, string(p[:3])+"*")
		}
	}
	return qs
}

func allIDs(t *testing.T, db *store.DB, q string) []int64 {
	t.Helper()
	var ids []int64
	req := Request{Query: q, Sort: SortNewest, Limit: MaxLimit}
	for {
		res, err := Search(context.Background(), db, req)
		if err != nil {
			if qe := (*Error)(nil); errors.As(err, &qe) {
				return nil // both stores reject it alike; compared as empty
			}
			t.Fatalf("%s on %s: %v", q, db.Dialect(), err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ArticleID)
		}
		if res.NextCursor == "" {
			return ids
		}
		req.Cursor = res.NextCursor
	}
}
