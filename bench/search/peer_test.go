package searchbench

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/search/gen"
	"github.com/pressreview/pressreview/internal/store"
)

// The archive size and the directory that keeps it, as for the product's
// benchmark (internal/search/bench_test.go): a run reuses the SQLite
// archive bench-N.db that one left there, and keeps the Bleve index
// bleve-N beside it.
const (
	benchEnv    = "PRESSREVIEW_SEARCH_BENCH"
	benchDirEnv = "PRESSREVIEW_SEARCH_BENCH_DIR"
	postgresEnv = "PRESSREVIEW_TEST_POSTGRES"
)

const persianCorpus = "../../../shared/testdata/corpora/targoman-persian-news"

// passes is how many times the mix is timed, after one warming pass.
const passes = 10

// system is one search engine under test, able to run every op of the mix.
type system struct {
	name string
	run  func(ctx context.Context, op gen.Op) error
}

// TestPeer times gen.Mix on pressreview (SQLite, and PostgreSQL when its
// kept archive pressreview_bench_N is there) and on Bleve, op by op in
// turn, so that both see the same load, and prints p50/p95 per query
// class and their ratio.
func TestPeer(t *testing.T) {
	n, dir := benchArchive(t)
	ctx := context.Background()
	t.Logf("load average at start: %s", loadavg())
	db := openSQLite(t, dir, n)
	idx := openBleve(t, db, dir, n)
	systems := []system{pressreview("pressreview SQLite", db), bleveSystem(t, db, idx)}
	if pg := openPostgres(t, n); pg != nil {
		systems = append(systems, pressreview("pressreview PostgreSQL", pg))
	}
	for _, s := range systems {
		for _, op := range gen.Mix {
			if err := s.run(ctx, op); err != nil {
				t.Fatalf("%s: %s: %v", s.name, op.Query, err)
			}
		}
	}
	// Each op is timed on the clock and in the process's CPU time: on a
	// shared machine the clock also counts the waits for a core, which
	// land on either system at random, while the CPU time is the work the
	// search did (a PostgreSQL search's is mostly its server's, which this
	// process does not see, so only its clock time means anything).
	times := make([]map[string][]time.Duration, len(systems))
	cpu := make([]map[string][]time.Duration, len(systems))
	perOp := make([][][]time.Duration, len(systems))
	for i := range systems {
		times[i], cpu[i] = map[string][]time.Duration{}, map[string][]time.Duration{}
		perOp[i] = make([][]time.Duration, len(gen.Mix))
	}
	for range passes {
		for j, op := range gen.Mix {
			for i, s := range systems {
				start, cpu0 := time.Now(), cpuTime()
				if err := s.run(ctx, op); err != nil {
					t.Fatal(err)
				}
				d, c := time.Since(start), cpuTime()-cpu0
				times[i][op.Kind] = append(times[i][op.Kind], d)
				times[i]["whole mix"] = append(times[i]["whole mix"], d)
				cpu[i][op.Kind] = append(cpu[i][op.Kind], c)
				cpu[i]["whole mix"] = append(cpu[i]["whole mix"], c)
				perOp[i][j] = append(perOp[i][j], d)
			}
		}
	}
	t.Logf("load average at end: %s; %d CPUs", loadavg(), runtime.NumCPU())
	for j, op := range gen.Mix {
		var cols []string
		for i, s := range systems {
			cols = append(cols, fmt.Sprintf("%s %s/%s", s.name, pct(perOp[i][j], 50), pct(perOp[i][j], 95)))
		}
		t.Logf("  %-8s %-60s %s", op.Kind, op.Query, strings.Join(cols, "  "))
	}
	t.Log("clock time\n" + classTable(systems, times))
	t.Log("CPU time of this process (pressreview SQLite and Bleve; PostgreSQL's server is not counted)\n" + classTable(systems[:2], cpu))
}

// classTable is the markdown table of p50/p95 per query class of each
// system, and the ratio of the first system to the second.
func classTable(systems []system, times []map[string][]time.Duration) string {
	var b strings.Builder
	b.WriteString("\n| class | ")
	for _, s := range systems {
		b.WriteString(s.name + " p50 / p95 | ")
	}
	b.WriteString("pressreview SQLite / Bleve p50 / p95 |\n|---|")
	for range systems {
		b.WriteString("---|")
	}
	b.WriteString("---|\n")
	for _, k := range append(slices.Clone(gen.Kinds), "whole mix") {
		b.WriteString("| " + k + " | ")
		for i := range systems {
			b.WriteString(fmt.Sprintf("%s / %s | ", pct(times[i][k], 50), pct(times[i][k], 95)))
		}
		b.WriteString(fmt.Sprintf("%.2f× / %.2f× |\n", ratio(times[0][k], times[1][k], 50), ratio(times[0][k], times[1][k], 95)))
	}
	return b.String()
}

func benchArchive(t *testing.T) (int, string) {
	n, _ := strconv.Atoi(os.Getenv(benchEnv))
	if n <= 0 {
		t.Skip(benchEnv + " is not set")
	}
	dir := os.Getenv(benchDirEnv)
	if dir == "" {
		dir = t.TempDir()
	}
	return n, dir
}

// openSQLite opens the kept archive, or generates, loads and indexes it
// as the product's benchmark does.
func openSQLite(t *testing.T, dir string, n int) *store.DB {
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, fmt.Sprintf("bench-%d.db", n)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var indexed int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM search_docs`).Scan(&indexed); err != nil {
		t.Fatal(err)
	}
	if indexed == n {
		t.Logf("pressreview SQLite: reusing the indexed archive of %d articles", n)
		return db
	}
	g, err := gen.New(gen.Config{Seed: 1, PersianDir: persianCorpus})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gen.Load(ctx, db, g, 0, n); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := search.Reindex(ctx, db); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("pressreview SQLite index build: %s, %.0f articles/s (load average %s)", took.Round(time.Second), float64(n)/took.Seconds(), loadavg())
	return db
}

// openPostgres opens the kept PostgreSQL archive of the product's
// benchmark when it is complete; nil otherwise.
func openPostgres(t *testing.T, n int) *store.DB {
	base := os.Getenv(postgresEnv)
	if base == "" {
		return nil
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = fmt.Sprintf("/pressreview_bench_%d", n)
	ctx := context.Background()
	db, err := store.Open(ctx, u.String())
	if err != nil {
		t.Logf("pressreview PostgreSQL: no kept archive (%v); run internal/search's TestSearchBenchmark/postgres first", err)
		return nil
	}
	t.Cleanup(func() { db.Close() })
	var indexed int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM search_docs`).Scan(&indexed); err != nil || indexed != n {
		t.Logf("pressreview PostgreSQL: kept archive holds %d of %d articles (%v); skipped", indexed, n, err)
		return nil
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// openBleve opens the kept Bleve index, or builds it from the articles
// of db and reports its build rate.
func openBleve(t *testing.T, db *store.DB, dir string, n int) bleve.Index {
	path := filepath.Join(dir, fmt.Sprintf("bleve-%d", n))
	if idx, err := bleve.Open(path); err == nil {
		if c, err := idx.DocCount(); err == nil && int(c) == n {
			t.Cleanup(func() { idx.Close() })
			t.Logf("Bleve: reusing the index of %d articles", n)
			return idx
		}
		idx.Close()
	}
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	idx, got, err := buildBleve(context.Background(), db, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	took := time.Since(start)
	t.Logf("Bleve index build: %d articles in %s, %.0f articles/s (load average %s)", got, took.Round(time.Second), float64(got)/took.Seconds(), loadavg())
	return idx
}

func pressreview(name string, db *store.DB) system {
	return system{name, func(ctx context.Context, op gen.Op) error {
		if op.Kind == "coverage" {
			c, err := search.CoverageOf(ctx, db, search.CoverageRequest{Query: op.Query, Interval: op.Interval, By: op.By})
			_ = c.SVG(search.ChartOptions{})
			return err
		}
		_, err := search.Search(ctx, db, search.Request{Query: op.Query, Facets: op.Facets})
		return err
	}}
}

// bleveSystem runs the mix on Bleve as pressreview runs it: a page of 20
// hits by relevance with highlighted title and body and the exact total;
// facets by outlet, orientation, language and day; coverage as counts by
// cell (outlet, language, day), summed into periods and series.
func bleveSystem(t *testing.T, db *store.DB, idx bleve.Index) system {
	roster, err := loadOutlets(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	orientation := map[string]string{}
	for _, o := range roster {
		orientation[o.key] = o.orientation
	}
	tr := translator{idx.Mapping()}
	return system{"Bleve", func(ctx context.Context, op gen.Op) error {
		q, err := tr.query(op.Query)
		if err != nil {
			return err
		}
		if op.Kind == "coverage" {
			return bleveCoverage(ctx, idx, q, op, orientation)
		}
		req := bleve.NewSearchRequestOptions(q, 20, 0, false)
		req.Fields = []string{"title"}
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.AddField("title")
		req.Highlight.AddField("body")
		if op.Facets {
			req.AddFacet("outlets", bleve.NewFacetRequest("outlet", 1000))
			req.AddFacet("orientations", bleve.NewFacetRequest("orientation", 100))
			req.AddFacet("langs", bleve.NewFacetRequest("lang", 10))
			req.AddFacet("days", bleve.NewFacetRequest("day", 10000))
		}
		_, err = idx.SearchInContext(ctx, req)
		return err
	}}
}

func bleveCoverage(ctx context.Context, idx bleve.Index, q query.Query, op gen.Op, orientation map[string]string) error {
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	req.AddFacet("cells", bleve.NewFacetRequest("cell", 1_000_000))
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return err
	}
	series := map[string]map[string]int{}
	for _, tf := range res.Facets["cells"].Terms.Terms() {
		parts := strings.Split(tf.Term, "|")
		day, err := time.Parse("2006-01-02", parts[2])
		if err != nil {
			return err
		}
		if op.Interval == "week" {
			day = day.AddDate(0, 0, -(int(day.Weekday())+6)%7)
		}
		key := parts[0]
		if op.By == "orientation" {
			key = orientation[key]
		}
		if series[key] == nil {
			series[key] = map[string]int{}
		}
		series[key][day.Format("2006-01-02")] += tf.Count
	}
	return nil
}

func pct(ds []time.Duration, p int) string {
	return pctOf(ds, p).Round(100 * time.Microsecond).String()
}

func pctOf(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	i := min(len(s)-1, (len(s)*p+99)/100-1)
	return s[max(i, 0)]
}

func ratio(a, b []time.Duration, p int) float64 {
	return float64(pctOf(a, p)) / float64(pctOf(b, p))
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
