package search

import (
	"context"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/text"
)

var bucketTerm = regexp.MustCompile(`'§([a-z])(\d+)'`)

// blocksOf reads a bucketQuery back into the [from, to) blocks it names.
func blocksOf(t *testing.T, q string) [][2]int64 {
	t.Helper()
	var out [][2]int64
	for _, m := range bucketTerm.FindAllStringSubmatch(q, -1) {
		i := slices.IndexFunc(bucketLevels[:], func(l struct {
			shift uint
			name  string
		}) bool {
			return l.name == bucketMark+m[1]
		})
		if i < 0 {
			t.Fatalf("unknown level in %s", m[0])
		}
		n, _ := strconv.ParseInt(m[2], 10, 64)
		out = append(out, [2]int64{n << bucketLevels[i].shift, (n + 1) << bucketLevels[i].shift})
	}
	if got := strings.Count(q, "'") / 2; got != len(out) {
		t.Fatalf("%d terms in %s, %d read", got, q, len(out))
	}
	return out
}

// TestBucketQuery: the blocks of a tsquery of ranges cover exactly the
// ranges, taken out to the smallest size allowed, each ID once, in blocks
// of the sizes allowed, with at most three blocks of a level at each end
// of a range (each level is four of the next).
func TestBucketQuery(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		lo := r.IntN(len(bucketLevels))
		hi := lo + r.IntN(len(bucketLevels)-lo)
		minSize, maxSize := int64(1)<<bucketLevels[hi].shift, int64(1)<<bucketLevels[lo].shift
		var ranges [][2]int64
		from := r.Int64N(1 << 22)
		for range 1 + r.IntN(4) {
			to := from + 1 + r.Int64N(1<<r.IntN(22))
			ranges = append(ranges, [2]int64{from, to})
			from = alignUp(to, minSize) + r.Int64N(1<<20)
		}
		blocks := blocksOf(t, bucketQuery(ranges, minSize, maxSize))
		slices.SortFunc(blocks, func(a, b [2]int64) int { return int(a[0] - b[0]) })
		for _, b := range blocks {
			if size := b[1] - b[0]; size < minSize || size > maxSize {
				t.Fatalf("a block of %d, allowed %d to %d", size, minSize, maxSize)
			}
		}
		var want [][2]int64
		for _, rg := range ranges {
			from, to := alignDown(rg[0], minSize), alignUp(rg[1], minSize)
			if n := len(want); n > 0 && want[n-1][1] == from {
				want[n-1][1] = to
				continue
			}
			want = append(want, [2]int64{from, to})
		}
		// Merge the blocks where they meet; they must then be the ranges.
		var got [][2]int64
		for _, b := range blocks {
			if n := len(got); n > 0 && got[n-1][1] == b[0] {
				got[n-1][1] = b[1]
				continue
			}
			if n := len(got); n > 0 && got[n-1][1] > b[0] {
				t.Fatalf("blocks overlap at %d: %v", b[0], ranges)
			}
			got = append(got, b)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("ranges %v: blocks cover %v", want, got)
		}
		if max := len(ranges) * (2*3*len(bucketLevels) + int((want[len(want)-1][1]-want[0][0])/maxSize)); len(blocks) > max {
			t.Errorf("%d blocks for %v", len(blocks), ranges)
		}
	}
}

// TestWithBuckets: the blocks' lexemes join a tsvector in PostgreSQL's
// order, the server reads the binary form as it reads the text, and a
// tsquery of a range finds the article only when the range holds its ID.
func TestWithBuckets(t *testing.T) {
	db := storetest.Postgres(t)
	ctx := context.Background()
	for _, id := range []int64{1, 1023, 1024, 70_000, 1_000_000, 5_000_000_123} {
		v := withBuckets(tsvectorOf(strings.Fields("ایران talks"), strings.Fields("مذاکرات 2024 z")), id)
		if !slices.IsSortedFunc(v.Lexemes, func(a, b pgtype.TSVectorLexeme) int { return strings.Compare(a.Word, b.Word) }) {
			t.Fatalf("%d: lexemes out of order", id)
		}
		var text string
		var inside, outside bool
		err := db.QueryRowContext(ctx, `SELECT CAST(? AS tsvector)::text, CAST(? AS tsvector) @@ CAST(? AS tsquery), CAST(? AS tsvector) @@ CAST(? AS tsquery)`,
			v, v, `'talks' & `+bucketQuery([][2]int64{{id, id + 1}}, bucketGrain(), bucketLargest()),
			v, bucketQuery([][2]int64{{alignUp(id+1, bucketGrain()), alignUp(id+1, bucketGrain()) + 1<<20}}, bucketGrain(), bucketLargest())).Scan(&text, &inside, &outside)
		if err != nil {
			t.Fatal(err)
		}
		for i := range bucketLevels {
			if !strings.Contains(text, "'"+bucketLexeme(i, id)+"'") {
				t.Errorf("%d: %s lacks %s", id, text, bucketLexeme(i, id))
			}
		}
		if !inside || outside {
			t.Errorf("%d: found in its range %v, in the blocks after it %v", id, inside, outside)
		}
	}
}

// TestBucketLexemesUnsearchable: no query reaches the blocks' lexemes,
// since the analyzer drops § from its terms.
func TestBucketLexemesUnsearchable(t *testing.T) {
	for _, q := range []string{"§a0", "§", "a§b", `"§c12 talks"`, "§a*", "talks -§b3"} {
		p, err := newPlan(store.Postgres, q)
		if err != nil {
			continue // nothing left to search for is fine too
		}
		if p.e != nil && strings.Contains(p.e.tsquery(), bucketMark) {
			t.Errorf("%q: tsquery %s", q, p.e.tsquery())
		}
	}
	d := Source{ArticleID: 1, Title: "§a0 talks", BodyTerms: text.IndexTerms("§b1 گزارش §c2§ talks")}.doc()
	for _, w := range append(d.title, d.body...) {
		if strings.Contains(w, bucketMark) {
			t.Errorf("index term %q", w)
		}
	}
}
