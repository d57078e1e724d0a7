package search

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/pressreview/pressreview/internal/store"
)

// idSample is what postgresWindow reads of a large result on
// PostgreSQL: every match with an article ID above above, and the
// matches in ranges of IDs at or below it, from which the rest is
// estimated.
type idSample struct {
	// lo and hi are the lowest and highest indexed article IDs.
	lo, hi, above int64
	// ranges are [from, to) ranges of IDs, evenly spread over lo..above.
	ranges [][2]int64
	// density is the expected matches per article ID.
	density float64
	// lightest is the expected matches of the query's rarest word, which
	// the newest part's blocks stay below where they lead (newestBlocks).
	lightest float64
	// minBlock and maxBlock bound the sizes of the newest part's blocks.
	minBlock, maxBlock int64
	// filtersLead is whether the filters are expected to match fewer
	// articles than the words: only then are they worth an index.
	filtersLead bool
}

// sample plans the reading of a result of the window size n: nil when
// at most estimateAbove matches are expected, or when a sample would read
// a quarter or more of them, so that every match is counted.
//
// What is expected is an upper bound built from the planner's estimate
// of each word and of the filters alone (bound). PostgreSQL's own
// estimate of the whole query multiplies the frequencies of its parts as
// if they were independent, and they are not: it expected 198 matches of
// "مذاکرات هسته‌ای" (32,004) and 5,540 of talks in English (54,834), and
// those searches then visited every match.
func (p plan) sample(ctx context.Context, db store.Querier, n int) (*idSample, error) {
	// A desk smaller than estimateAbove articles counts every match
	// without asking the planner.
	var lo, hi int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce(min(article_id), 0), coalesce(max(article_id), 0) FROM search_docs`).Scan(&lo, &hi); err != nil {
		return nil, fmt.Errorf("search: estimate: %w", err)
	}
	if hi-lo+1 <= int64(estimateAbove) {
		return nil, nil
	}
	var branches []string
	var args []any
	probes := map[string]int{}
	p.e.probes(func(tsq string) {
		if _, ok := probes[tsq]; !ok {
			probes[tsq] = len(branches)
			branches = append(branches, `SELECT 1 FROM search_docs d WHERE d.tsv @@ CAST(? AS tsquery)`)
			args = append(args, tsq)
		}
	})
	var filters where
	addFilters(&filters, store.Postgres, articleFilters(p.q.Filters), docColumns)
	if len(filters.conds) > 0 {
		branches = append(branches, `SELECT 1 FROM search_docs d WHERE `+filters.sql())
		args = append(args, filters.args...)
	}
	var explained []byte
	err := db.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+strings.Join(branches, ` UNION ALL `), args...).Scan(&explained)
	if err != nil {
		return nil, fmt.Errorf("search: estimate: %w", err)
	}
	type node struct {
		Type  string  `json:"Node Type"`
		Rows  float64 `json:"Plan Rows"`
		Plans []node
	}
	var plans []struct{ Plan node }
	if err := json.Unmarshal(explained, &plans); err != nil || len(plans) != 1 {
		return nil, fmt.Errorf("search: estimate: reading the plan %.80q: %v", explained, err)
	}
	// One branch is the plan itself; several are the children of an
	// Append, which a Gather may hold.
	top := plans[0].Plan
	rows := []float64{top.Rows}
	if len(branches) > 1 {
		for top.Type != "Append" && len(top.Plans) == 1 {
			top = top.Plans[0]
		}
		rows = rows[:0]
		for _, b := range top.Plans {
			rows = append(rows, b.Rows)
		}
	}
	if len(rows) != len(branches) {
		return nil, fmt.Errorf("search: estimate: %d branches planned, %d written", len(rows), len(branches))
	}
	words := make(map[string]float64, len(probes))
	for tsq, i := range probes {
		words[tsq] = rows[i]
	}
	est := p.e.bound(func(tsq string) float64 { return words[tsq] })
	filtersLead := len(filters.conds) > 0 && rows[len(rows)-1] < est
	if filtersLead {
		est = rows[len(rows)-1]
	}
	if est <= float64(estimateAbove) || math.IsInf(est, 1) {
		return nil, nil
	}
	lightest := math.Inf(1)
	for _, r := range words {
		lightest = min(lightest, r)
	}
	density := est / float64(hi-lo+1)
	s := newSample(lo, hi, density, density, lightest, n)
	if s != nil {
		s.filtersLead = filtersLead
	}
	return s, nil
}

// probes calls add with the tsquery of each word whose frequency bound
// reads: every term, and each word of a phrase.
func (e *expr) probes(add func(tsq string)) {
	switch e.op {
	case opTerm:
		add(e.tsquery())
	case opPhrase:
		for _, w := range e.words() {
			w.probes(add)
		}
	default:
		for _, k := range e.kids {
			k.probes(add)
		}
	}
}

// bound is an upper bound of e's matches, from the estimated matches of
// each probe: a conjunction or a phrase matches at most what its rarest
// part does, a disjunction at most what its parts do together, and
// exclusions only take away.
func (e *expr) bound(est func(tsq string) float64) float64 {
	switch e.op {
	case opTerm:
		return est(e.tsquery())
	case opOr:
		var sum float64
		for _, k := range e.kids {
			sum += k.bound(est)
		}
		return sum
	}
	kids := e.kids
	if e.op == opPhrase {
		kids = e.words()
	}
	b := math.Inf(1)
	for _, k := range kids {
		b = min(b, k.bound(est))
	}
	return b
}

// windowMargin is how many windows' worth of matches the newest part of
// a sample is expected to hold: enough that a planner's estimate a little
// high rarely leaves it short of a window (which costs a second
// statement), no more, since every match in it costs a visit to its row.
const windowMargin = 1.2

// minMargin is the least margin a newest part may keep when it begins at
// the block after the one that holds its planned start rather than at
// that block's start: with a block of 65,536 IDs (newestBlocks), beginning
// below would read up to a block more of rows (3,400 more for lang:en
// talks at a million articles, 15,400 in all).
const minMargin = 1.1

// newSample reads above an ID where windowDensity matches per ID would
// give windowMargin windows of n, and samples the older IDs, where
// density matches per ID are expected, for about sampleTarget matches,
// in up to sampleRanges ranges of one block of IDs each (idbuckets.go);
// ranges that then meet are one. lightest is the expected matches of the
// query's rarest word (newestBlocks). It is nil when there is no older
// part or the sample would be a quarter of it: counting every match then
// costs too little more to give up an exact total (ایران at 100,000
// articles, 24,000 matches, is counted).
func newSample(lo, hi int64, windowDensity, density, lightest float64, n int) *idSample {
	start := hi + 1 - int64(math.Ceil(windowMargin*float64(n)/windowDensity))
	minBlock, maxBlock := newestBlocks(hi+1-start, density*float64(hi-lo+1), lightest)
	above := alignDown(start, minBlock) - 1
	if next := alignUp(start, minBlock); windowDensity*float64(hi+1-next) >= minMargin*float64(n) {
		above = next - 1
	}
	if above <= lo {
		return nil
	}
	rest := float64(above - lo + 1)
	f := float64(sampleTarget) / (density * rest)
	if f >= 0.25 {
		return nil
	}
	// Ranges of the block size nearest to what sampleRanges ranges would
	// each span; where that block is larger, fewer of them, so that the
	// sample reads about its target and not up to twice as many rows.
	want := f * rest / sampleRanges
	size := blockNear(want)
	ranges := sampleRanges
	if float64(size) > want {
		ranges = max(1, int(math.Round(sampleRanges*want/float64(size))))
	}
	step := rest / float64(ranges)
	s := &idSample{lo: lo, hi: hi, above: above, density: density, lightest: lightest, minBlock: minBlock, maxBlock: maxBlock}
	for i := range ranges {
		from := alignDown(lo+int64(float64(i)*step), size)
		to := min(from+size, above+1)
		if last := len(s.ranges) - 1; last >= 0 && from <= s.ranges[last][1] {
			s.ranges[last][1] = max(s.ranges[last][1], to)
			continue
		}
		s.ranges = append(s.ranges, [2]int64{from, to})
	}
	return s
}

// newestBlocks bounds the sizes of the blocks of a sample's newest part
// (from minBlock to maxBlock IDs; the part begins at a block of minBlock)
// when it would span span IDs, the query is expected to match matches
// articles, and its rarest word lightest.
//
// The GIN index walks every entry of the rarest terms of a tsquery, as
// many as it takes for the query to be false when they all are, and skips
// through the others (idbuckets.go). So either every block is rarer than
// every word, and the index walks the blocks, or every word is rarer than
// every block, and it walks the words; a mix walks both. Where the newest
// part spans fewer IDs than the query matches, the blocks should lead:
// ایران, 240,000 matches in a million articles, is read in 50,000 IDs of
// blocks smaller than its 240,000 entries. Where it spans many more — a
// phrase of two words in 3% of the articles, 368,000 IDs for 32,000
// matches — the words should lead, and do when every block is larger
// than their matches: the part then begins at such a block (minMargin).
func newestBlocks(span int64, matches, lightest float64) (minBlock, maxBlock int64) {
	if float64(span) > 2*matches {
		for i := len(bucketLevels) - 1; i >= 0; i-- {
			size := int64(1) << bucketLevels[i].shift
			if float64(size) > matches {
				if size > span/2 {
					break
				}
				return size, bucketLargest()
			}
		}
	}
	maxBlock = bucketGrain()
	for _, l := range bucketLevels {
		if size := int64(1) << l.shift; float64(size) < lightest {
			maxBlock = max(maxBlock, size)
		}
	}
	return bucketGrain(), maxBlock
}

// tsqueries match s's article IDs: the newest part, above above (to the
// end of its last block, past the highest ID when the sample was
// planned), and the ranges. They are two conditions, each its own scan
// of the GIN index, so that each part is led by its own rarest terms:
// the blocks of the ranges, and the words or the blocks of the newest
// part. In one tsquery, the ranges' blocks, rarer than the words, made
// the index walk every entry of the words as well, where the newest part
// led by the words (the facets of مذاکرات OR talks at a million articles:
// 45 ms in the index, against 18 for the two scans).
func (s *idSample) tsqueries() (newest, ranges string) {
	return bucketQuery([][2]int64{{s.above + 1, s.hi + 1}}, s.minBlock, s.maxBlock),
		bucketQuery(s.ranges, bucketGrain(), bucketLargest())
}

// words are the words of a phrase, each a term.
func (e *expr) words() []*expr {
	out := make([]*expr, len(e.toks))
	for i, t := range e.toks {
		out[i] = &expr{op: opTerm, toks: []string{t}}
	}
	return out
}

// unordered is e with each phrase read as the conjunction of its words,
// and without the exclusions that hold a phrase, so that it matches at
// least what e does; phrase says whether e has a phrase. The GIN index
// answers it alone, where for a phrase it returns every row to be tested
// against the whole tsquery: with a sample's blocks of IDs in it, that
// test cost about 7 µs a row (15,000 rows of "مذاکرات هسته‌ای" at a
// million articles), against about 1 for the phrase alone.
func (e *expr) unordered() (u *expr, phrase bool) {
	switch e.op {
	case opTerm:
		return e, false
	case opPhrase:
		return &expr{op: opAnd, kids: e.words()}, true
	}
	u = &expr{op: e.op}
	for _, k := range e.kids {
		ku, kp := k.unordered()
		u.kids = append(u.kids, ku)
		phrase = phrase || kp
	}
	for _, n := range e.not {
		if _, np := n.unordered(); np {
			phrase = true
			continue
		}
		u.not = append(u.not, n)
	}
	return u, phrase
}

// scale estimates the matches at or below s.above from the n found in
// its ranges.
func (s *idSample) scale(n int) int {
	var span int64
	for _, r := range s.ranges {
		span += r[1] - max(r[0], s.lo) // the first may begin below the oldest ID
	}
	return int(math.Round(float64(n) * float64(s.above-s.lo+1) / float64(span)))
}

// widen is the sample to try after s found fresh matches above s.above,
// fewer than a window of n. The density found there (a word's frequency
// changes over time, and the bound of sample may be far above it) sets
// the new newest part, at least twice as wide, and the sample; with none
// found, the newest part is four times as wide. It is nil when the new
// part would reach the oldest ID, or the sample a quarter of the rest.
func (s *idSample) widen(fresh, n int) *idSample {
	width, density := 4*float64(s.hi-s.above), s.density
	if fresh > 0 {
		density = float64(fresh) / float64(s.hi-s.above)
		width = max(width/2, windowMargin*float64(n)/density)
	}
	w := newSample(s.lo, s.hi, windowMargin*float64(n)/width, density, s.lightest, n)
	if w != nil {
		w.filtersLead = s.filtersLead
	}
	return w
}
