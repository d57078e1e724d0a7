package search

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pressreview/pressreview/internal/search/gen"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// benchEnv sets the archive size of TestSearchBenchmark; unset, the test
// is skipped. It is a test rather than a testing.B benchmark because it
// reports percentiles of a query mix, not a mean of one operation.
//
//	PRESSREVIEW_SEARCH_BENCH=100000 PRESSREVIEW_TEST_POSTGRES=postgres://… \
//	  go test ./internal/search -run TestSearchBenchmark -v -timeout 3h
const benchEnv = "PRESSREVIEW_SEARCH_BENCH"

// The peer benchmark against Bleve (module bench/search, docs/benchmarks.md)
// runs the same mix, gen.Mix, on the archive that benchDirEnv keeps.

// benchDirEnv names a directory that keeps the SQLite archive between
// runs (default: a temporary one). A run that finds a fully indexed
// archive of the requested size there skips loading and indexing and times
// only the queries, so that a change to the queries can be measured at
// 1,000,000 articles without generating them again. It also keeps the
// PostgreSQL archive, in the database pressreview_bench_N.
const benchDirEnv = "PRESSREVIEW_SEARCH_BENCH_DIR"

// benchQuery is one operation of the fixed mix.
type benchQuery struct {
	kind, query string
	run         func(ctx context.Context, db *store.DB) error
}

// benchMix is gen.Mix, the fixed query mix shared with the peer benchmark
// against Bleve (bench/search).
var benchMix = func() []benchQuery {
	var out []benchQuery
	for _, op := range gen.Mix {
		out = append(out, benchOp(op))
	}
	return out
}()

func benchOp(op gen.Op) benchQuery {
	if op.Kind == "coverage" {
		return benchQuery{op.Kind, op.Query + " by " + op.By + " per " + op.Interval, func(ctx context.Context, db *store.DB) error {
			c, err := CoverageOf(ctx, db, CoverageRequest{Query: op.Query, Interval: op.Interval, By: op.By})
			_ = c.SVG(ChartOptions{})
			return err
		}}
	}
	return benchQuery{op.Kind, op.Query, func(ctx context.Context, db *store.DB) error {
		_, err := Search(ctx, db, Request{Query: op.Query, Facets: op.Facets})
		return err
	}}
}

func TestSearchBenchmark(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv(benchEnv))
	if n <= 0 {
		t.Skip(benchEnv + " is not set")
	}
	g, err := gen.New(gen.Config{Seed: 1, PersianDir: persianCorpus})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("archive: %d articles, 60 outlets, 730 days; Persian from %s", n, g.PersianSource)
	dir := os.Getenv(benchDirEnv)
	if dir == "" {
		dir = t.TempDir()
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(dir, fmt.Sprintf("bench-%d.db", n))
		db := openBench(t, "sqlite:"+path)
		benchStore(t, db, g, n, func() string {
			if _, err := db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			return mib(fi.Size()) + " file"
		})
	})
	t.Run("postgres", func(t *testing.T) {
		db := openBench(t, benchPostgresURL(t, n))
		benchStore(t, db, g, n, func() string {
			var total, docs, articles int64
			err := db.QueryRowContext(context.Background(), `SELECT pg_database_size(current_database()),
				pg_total_relation_size('search_docs'), pg_total_relation_size('articles')`).Scan(&total, &docs, &articles)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("%s database (articles %s, search_docs with GIN index %s)", mib(total), mib(articles), mib(docs))
		})
		benchEstimates(t, db)
	})
}

// benchEstimates reports how close PostgreSQL's estimated totals come to
// the count of every match: for the searches of the mix and for 60 of the
// archive's common words (every eighth lexeme of the planner's statistics,
// which lists them in alphabetical order, among those found in 2–60% of
// the articles).
func benchEstimates(t *testing.T, db *store.DB) {
	ctx := context.Background()
	queries := []string{}
	for _, op := range gen.Mix {
		if op.Interval == "" {
			queries = append(queries, op.Query)
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT e FROM pg_stats, unnest(most_common_elems::text::text[]) WITH ORDINALITY AS u(e, i)
		WHERE tablename = 'search_docs' AND attname = 'tsv'
		AND most_common_elem_freqs[i] BETWEEN 0.02 AND 0.6 AND i % 8 = 0 ORDER BY i LIMIT 60`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			t.Fatal(err)
		}
		queries = append(queries, e)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	var errs []float64
	for _, q := range queries {
		p, err := newPlan(store.Postgres, q)
		if err != nil {
			t.Fatal(err)
		}
		var exact int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+p.match.from+` WHERE `+p.match.where.sql(), p.match.where.args...).Scan(&exact); err != nil {
			t.Fatal(err)
		}
		res, err := Search(ctx, db, Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Estimated {
			if res.Total != exact {
				t.Errorf("%s: counted %d, count(*) %d", q, res.Total, exact)
			}
			continue
		}
		e := float64(res.Total-exact) / float64(exact)
		errs = append(errs, e)
		t.Logf("  estimate %8d of %8d (%+.2f%%)  %s", res.Total, exact, 100*e, q)
	}
	if len(errs) == 0 {
		return
	}
	var sum, worst float64
	for _, e := range errs {
		sum += e * e
		worst = max(worst, math.Abs(e))
	}
	t.Logf("estimates: %d of %d searches estimated; error root mean square %.2f%%, largest %.2f%%",
		len(errs), len(queries), 100*math.Sqrt(sum/float64(len(errs))), 100*worst)
}

// benchPostgresURL returns a throwaway database, or with benchDirEnv set
// the kept database pressreview_bench_N, created when missing.
func benchPostgresURL(t *testing.T, n int) string {
	if os.Getenv(benchDirEnv) == "" {
		return storetest.NewPostgresURL(t)
	}
	base := os.Getenv(storetest.EnvPostgres)
	if base == "" {
		t.Skip(storetest.EnvPostgres + " is not set")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("pressreview_bench_%d", n)
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			t.Fatal(err)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func openBench(t *testing.T, dsn string) *store.DB {
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func benchStore(t *testing.T, db *store.DB, g *gen.Generator, n int, size func() string) {
	ctx := context.Background()
	var indexed int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM search_docs`).Scan(&indexed); err != nil {
		t.Fatal(err)
	}
	if indexed == n {
		t.Logf("reusing an indexed archive of %d articles; load and index build not measured", n)
	} else {
		start := time.Now()
		if _, err := gen.Load(ctx, db, g, 0, n); err != nil {
			t.Fatal(err)
		}
		t.Logf("load: %d articles in %s", n, time.Since(start).Round(time.Second))
		start = time.Now()
		if _, err := Reindex(ctx, db); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		t.Logf("index build: %s, %.0f articles/s (Reindex, %d CPUs)", took.Round(time.Second), float64(n)/took.Seconds(), runtime.GOMAXPROCS(0))
		if db.Dialect() == store.Postgres {
			// What autovacuum does to a desk's archive in the background:
			// without it the first timed searches set every row's hint
			// bits (writing the pages they read), and the visibility map
			// is empty.
			if _, err := db.ExecContext(ctx, `VACUUM (ANALYZE) search_docs, articles`); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("size: %s", size())
	// Warm the cache with one pass, then time 10 passes of the mix.
	for _, q := range benchMix {
		if err := q.run(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	byKind := map[string][]time.Duration{}
	byQuery := make([][]time.Duration, len(benchMix))
	var all []time.Duration
	for range 10 {
		for i, q := range benchMix {
			s := time.Now()
			if err := q.run(ctx, db); err != nil {
				t.Fatal(err)
			}
			d := time.Since(s)
			byKind[q.kind] = append(byKind[q.kind], d)
			byQuery[i] = append(byQuery[i], d)
			all = append(all, d)
		}
	}
	for i, q := range benchMix {
		t.Logf("  %-8s p50 %7s p95 %7s  %s", q.kind, pct(byQuery[i], 50), pct(byQuery[i], 95), q.query)
	}
	var rows []string
	for _, k := range gen.Kinds {
		rows = append(rows, fmt.Sprintf("%s p50 %s p95 %s", k, pct(byKind[k], 50), pct(byKind[k], 95)))
	}
	t.Logf("latency: %s", strings.Join(rows, "; "))
	t.Logf("latency, whole mix (%d timed operations): p50 %s p95 %s", len(all), pct(all, 50), pct(all, 95))
}

func pct(ds []time.Duration, p int) string {
	s := slices.Sorted(slices.Values(ds))
	i := min(len(s)-1, (len(s)*p+99)/100-1)
	return s[max(i, 0)].Round(100 * time.Microsecond).String()
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
