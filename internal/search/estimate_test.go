package search

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/pressreview/pressreview/internal/search/gen"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestPostgresEstimate: on PostgreSQL, a search the planner expects to
// match more than estimateAbove articles reads the newest matches and a
// sample of the rest. Its window — the hits of every page in both orders,
// the facets — is exactly the window of the search that counts every
// match, its total is marked an estimate and is close to the count, and a
// query whose newest part holds too few matches (a word of the past)
// widens its range until it gives the same results.
func TestPostgresEstimate(t *testing.T) {
	db := storetest.Postgres(t)
	ctx := context.Background()
	g, err := gen.New(gen.Config{Outlets: 12, Days: 60, Seed: 7, PersianDir: persianCorpus})
	if err != nil {
		t.Fatal(err)
	}
	// Blocks of IDs at the scale of 3,000 articles: 4 to 4,096 IDs.
	defer func(levels [len(bucketLevels)]struct {
		shift uint
		name  string
	}) {
		bucketLevels = levels
	}(bucketLevels)
	for i := range bucketLevels {
		bucketLevels[i].shift -= 8
	}
	const articles = 3000
	if _, err := gen.Load(ctx, db, g, 0, articles); err != nil {
		t.Fatal(err)
	}
	if _, err := Reindex(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `ANALYZE search_docs`); err != nil {
		t.Fatal(err)
	}
	defer func(n, above, target int) { countCap, estimateAbove, sampleTarget = n, above, target }(countCap, estimateAbove, sampleTarget)
	countCap = 50
	estimated := 0
	check := func(q string) {
		t.Helper()
		for _, req := range []Request{{Query: q, Limit: 20}, {Query: q, Facets: true, Limit: 20}, {Query: q, Sort: SortNewest, Limit: 20}} {
			estimateAbove, sampleTarget = math.MaxInt, 0
			exact := allPages(t, db, req)
			estimateAbove, sampleTarget = 60, 150
			got := allPages(t, db, req)
			if len(exact) != len(got) {
				t.Fatalf("%+v: %d pages counted, %d estimated", req, len(exact), len(got))
			}
			for i := range exact {
				if exact[i].Estimated {
					t.Fatalf("%+v: the total is estimated with estimateAbove at its maximum", req)
				}
				total := exact[i].Total
				if got[i].Estimated {
					estimated++
					if math.Abs(float64(got[i].Total-total)) > 0.25*float64(total) {
						t.Errorf("%+v: estimated %d of %d matches", req, got[i].Total, total)
					}
				} else if got[i].Total != total {
					t.Errorf("%+v: counted %d of %d matches", req, got[i].Total, total)
				}
				exact[i].Total, got[i].Total, got[i].Estimated = 0, 0, false
				if a, b := asJSON(exact[i], nil), asJSON(got[i], nil); a != b {
					t.Fatalf("%+v, page %d: counting every match\n%s\nestimating\n%s", req, i+1, a, b)
				}
			}
		}
	}
	for _, q := range []string{`ایران`, `مجلس`, `مذاکرات OR talks`, `ایران lang:fa`, `ایران -مجلس`, `ایران after:2024-01-20`,
		`"ریاست جمهوری"`, `"مذاکرات هسته‌ای"`, `"مذاکرات هسته‌ای" OR talks`, `ایران -"مذاکرات هسته‌ای"`, `"مذاکرات هسته‌ای" lang:fa`,
		// Filters tested on the rows the words find, and a filter rarer
		// than the words, which its index serves.
		`ایران orientation:reformist`, `ایران OR مجلس outlet:outlet-01`, `ایران OR مجلس after:2024-02-08`} {
		check(q)
	}
	// A word of the past: none of the newest 40% of the articles has it
	// any longer, while the planner's statistics still say it is
	// everywhere, so the first newest part holds no match.
	if _, err := db.ExecContext(ctx, `DELETE FROM search_docs WHERE article_id > ? AND tsv @@ 'ایران'`, articles*6/10); err != nil {
		t.Fatal(err)
	}
	check(`ایران`)
	if estimated == 0 {
		t.Fatal("no search estimated its total")
	}
}

// allPages are the pages of a search, up to five.
func allPages(t *testing.T, db store.Querier, req Request) []Result {
	t.Helper()
	var out []Result
	for range 5 {
		res, err := Search(context.Background(), db, req)
		if err != nil {
			t.Fatalf("%+v: %v", req, err)
		}
		out = append(out, res)
		if res.NextCursor == "" {
			break
		}
		req.Cursor = res.NextCursor
	}
	return out
}

// TestSampleRanges: a sample's ranges lie below its newest part, spread
// over the archive, each one block of IDs, and a sample that finds
// matches at the expected density estimates the expected count. The
// newest part begins at a block: of the grain for a common word, and of
// a block larger than the matches for a rarer query whose newest part
// spans many more IDs (newestBlocks); at the block after its planned
// start when that still leaves minMargin windows of matches expected.
func TestSampleRanges(t *testing.T) {
	defer func(target int) { sampleTarget = target }(sampleTarget)
	sampleTarget = 10_000
	s := newSample(1, 1_000_000, 0.24, 0.24, 240_000, 10_001)
	if s == nil {
		t.Fatal("no sample of a word in a quarter of a million articles")
	}
	// Planned from 949,996, for 1.2 windows; from the next block, 1.19.
	if start := s.above + 1; start != 950_272 {
		t.Errorf("newest part from %d, want 950272 (928 × 1,024)", start)
	}
	if len(s.ranges) < sampleRanges/2 || len(s.ranges) > sampleRanges {
		t.Fatalf("%d ranges", len(s.ranges))
	}
	var span int64
	size := s.ranges[0][1] - s.ranges[0][0]
	for i, r := range s.ranges {
		if r[0] >= r[1] || r[1] > s.above+1 || i > 0 && r[0] < s.ranges[i-1][1] {
			t.Fatalf("range %d: %v", i, r)
		}
		if r[1]-r[0] != size || r[0]%size != 0 || size&(size-1) != 0 {
			t.Fatalf("range %d: %v is not a block of %d", i, r, size)
		}
		span += r[1] - max(r[0], s.lo)
	}
	// Blocks at most twice the width wanted, fewer of them where larger.
	if sampled := 0.24 * float64(span); sampled < 5_000 || sampled > 11_000 {
		t.Errorf("the sample expects %.0f matches", sampled)
	}
	if got, want := s.scale(int(0.24*float64(span))), 0.24*float64(s.above); math.Abs(float64(got)-want) > want/1000 {
		t.Errorf("scale: %d, want about %.0f", got, want)
	}
	if !slices.IsSortedFunc(s.ranges, func(a, b [2]int64) int { return int(a[0] - b[0]) }) {
		t.Error("ranges out of order")
	}
	// Widening after finding half the expected matches moves the newest
	// part down; a word that is everywhere needs no sample.
	if w := s.widen(5_000, 10_001); w == nil || w.above >= s.above {
		t.Errorf("widened to %+v", w)
	}
	if newSample(1, 30_000, 0.9, 0.9, 27_000, 10_001) != nil {
		t.Error("a sample of most of the archive")
	}
	// A phrase in 3% of the articles: 32,000 matches, a newest part of
	// 375,000 IDs, which begins at a block of 65,536: the one after its
	// planned start, 624,963, which leaves 1.103 windows expected; at
	// 3.1% that block would leave 1.07, and the part begins at the block
	// before.
	sampleTarget = 4_000
	for _, c := range []struct {
		density float64
		start   int64
	}{{0.032, 655_360}, {0.031, 589_824}} {
		p := newSample(1, 1_000_000, c.density, c.density, c.density*1_000_000, 10_001)
		if p == nil {
			t.Fatalf("no sample of a phrase in %.1f%% of a million articles", 100*c.density)
		}
		if start := p.above + 1; start != c.start {
			t.Errorf("a phrase in %.1f%%: newest part from %d, want %d", 100*c.density, start, c.start)
		}
	}
}

// TestNewestBlocks: the blocks of a sample's newest part are all rarer
// than the query's rarest word, or all more common than its matches, so
// that the GIN index walks the blocks or the words, not both.
func TestNewestBlocks(t *testing.T) {
	for _, c := range []struct {
		name               string
		span               int64
		matches, lightest  float64
		minBlock, maxBlock int64
	}{
		// ایران: 240,000 matches, a newest part of 50,000 IDs.
		{"a common word", 50_000, 240_000, 240_000, 1 << 10, 1 << 16},
		// مذاکرات OR talks: 87,000 matches, talks the rarer with 37,000.
		{"a disjunction", 137_000, 87_000, 37_000, 1 << 10, 1 << 14},
		// "مذاکرات هسته‌ای": 32,000 matches in 368,000 IDs.
		{"a phrase", 368_000, 32_000, 32_000, 1 << 16, 1 << 20},
		// A word rarer than the finest block still gets blocks.
		{"a rare word", 5_000, 20_000, 500, 1 << 10, 1 << 10},
	} {
		minBlock, maxBlock := newestBlocks(c.span, c.matches, c.lightest)
		if minBlock != c.minBlock || maxBlock != c.maxBlock {
			t.Errorf("%s: blocks of %d to %d IDs, want %d to %d", c.name, minBlock, maxBlock, c.minBlock, c.maxBlock)
		}
	}
}

func TestShownTotal(t *testing.T) {
	for _, c := range []struct {
		r    Result
		want string
	}{
		{Result{Total: 240_118}, "240118"},
		{Result{Total: 240_118, Estimated: true}, "about 240,000"},
		{Result{Total: 99_951, Estimated: true}, "about 100,000"},
		{Result{Total: 1_234_567, Estimated: true}, "about 1,200,000"},
		{Result{Total: 20_449, Estimated: true}, "about 20,000"},
		{Result{Total: 87, Estimated: true}, "about 87"},
	} {
		if got := c.r.ShownTotal(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.r, got, c.want)
		}
	}
}

// TestBound: a phrase or a conjunction is bounded by its rarest word, a
// disjunction by the sum of its parts, and exclusions are not probed.
func TestBound(t *testing.T) {
	q, err := Parse(`"مذاکرات هسته‌ای" OR (talks -muscat)`)
	if err != nil {
		t.Fatal(err)
	}
	e, err := compile(q)
	if err != nil {
		t.Fatal(err)
	}
	est := map[string]float64{}
	var order []string
	e.probes(func(tsq string) {
		order = append(order, tsq)
		est[tsq] = float64(100 * len(order))
	})
	if len(order) != 3 {
		t.Fatalf("probes %q", order)
	}
	if got := e.bound(func(tsq string) float64 { return est[tsq] }); got != 100+300 {
		t.Errorf("bound %v, want 400", got)
	}
}
