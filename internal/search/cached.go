package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// The searches of SQLite with the docCache: the full-text index gives the
// matching article IDs, and the filters, the newest order, the facets and
// coverage read the cache. They give what the SQL of search.go and
// coverage.go gives (that SQL still serves PostgreSQL, transactions and
// quotes:, whose filter is a query of the quote tables).

// windowPool recycles the rows of windows: a window of ten thousand rows
// is most of a megabyte, and allocating it anew took a tenth of a search
// of ایران.
var windowPool sync.Pool

func newWindowRows() []windowRow {
	if rows, ok := windowPool.Get().(*[]windowRow); ok {
		return (*rows)[:0]
	}
	return make([]windowRow, 0, 256)
}

// release gives the window's rows back for another search's window.
func (w matchWindow) release() {
	if cap(w.rows) >= 256 {
		windowPool.Put(&w.rows)
	}
}

// keepFunc tests an indexed article against a query's filters.
type keepFunc func(id int64, a docAttrs) bool

// cachedFilters turns the filters of p into a test of the cache's
// attributes and outlets, with the semantics of addFilters; ok is false
// when one needs SQL (quotes:). A nil keepFunc lets every article through.
// c.mu is held for reading.
func (p plan) cachedFilters(c *docCache) (keep keepFunc, ok bool) {
	var tests []keepFunc
	for _, f := range articleFilters(p.q.Filters) {
		vals := make([]string, len(f.Values))
		for i, v := range f.Values {
			vals[i] = strings.ToLower(v)
		}
		var t keepFunc
		switch f.Field {
		case FieldOutlet, FieldOrientation, FieldKind:
			ids := outletIDs(c.outlets, f.Field, vals)
			t = func(id int64, a docAttrs) bool {
				if ids[int64(a.outlet)] {
					return true
				}
				for _, o := range c.listed[id] {
					if ids[o] {
						return true
					}
				}
				return false
			}
		case FieldLang:
			t = func(_ int64, a docAttrs) bool { return slices.Contains(vals, c.lang(a)) }
		case FieldAfter, FieldBefore:
			day, _ := parseDay(f.Values[0]) // checked by the parser
			at := day.Unix()
			// As in addFilters: after: includes its day, before:
			// excludes it, and negation swaps them.
			if (f.Field == FieldAfter) != f.Negate {
				tests = append(tests, func(_ int64, a docAttrs) bool { return a.unix >= at })
			} else {
				tests = append(tests, func(_ int64, a docAttrs) bool { return a.unix < at })
			}
			continue
		default: // quotes:
			return nil, false
		}
		if f.Negate {
			in := t
			t = func(id int64, a docAttrs) bool { return !in(id, a) }
		}
		tests = append(tests, t)
	}
	if len(tests) == 0 {
		return nil, true
	}
	return func(id int64, a docAttrs) bool {
		for _, t := range tests {
			if !t(id, a) {
				return false
			}
		}
		return true
	}, true
}

// outletIDs are the outlets of r that a filter of field names, as
// addFilters selects them (outletColumn): SQLite's lower(), which folds
// ASCII only, decides, not Go's.
func outletIDs(r roster, field string, vals []string) map[int64]bool {
	ids := map[int64]bool{}
	for id, o := range r {
		for _, col := range outletColumn[field] {
			if slices.Contains(vals, asciiLower(outletValue(o, col))) {
				ids[id] = true
			}
		}
	}
	return ids
}

// outletValue is o's value of an outlets column that outletColumn names.
func outletValue(o outlets.Outlet, col string) string {
	switch col {
	case "key":
		return o.Key
	case "name":
		return o.Name
	case "native_name":
		return o.NativeName
	case "orientation":
		return o.Orientation
	case "kind":
		return string(o.Kind)
	}
	panic("search: outletColumn names " + col + ", which outletValue does not read")
}

// asciiLower is SQLite's lower() without ICU: A to Z folded, every other
// byte kept.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// errMissed reports a match indexed after the cache was refreshed.
var errMissed = fmt.Errorf("search: an article indexed during the search")

// eachMatch calls fn with every match of p that passes keep, newest (by
// article ID) first, until fn returns false; limit > 0 stops the scan of
// the index after that many. score asks for bm25 with each match; ranked
// is then the statement's sink, for cachedCount to take the count of the
// matches that bm25 may have made (sink.counted). c.mu is held for
// reading.
func (p plan) eachMatch(ctx context.Context, db *store.DB, c *docCache, keep keepFunc, score bool, limit int,
	fn func(id int64, a docAttrs, score float64) bool) (ranked *sink, err error) {
	if p.e == nil || p.e.onlyExclusions() {
		return nil, p.eachCached(ctx, db, c, keep, fn)
	}
	s := &sink{cache: c}
	s.keep = func(id int64) bool {
		a, ok := c.get(id)
		if !ok {
			s.missed = true
			return false
		}
		return keep == nil || keep(id, a)
	}
	done := false
	s.take = func(id int64, sc float64) {
		if done {
			return
		}
		a, ok := c.get(id)
		if !ok {
			s.missed = true
			return
		}
		done = !fn(id, a, sc)
	}
	h := sinks.add(s)
	defer sinks.remove(h)
	scoreSQL, args := "0", []any{}
	if score {
		scoreSQL, args = cachedScore, append(args, h)
	}
	// search_keep runs in the FTS5 scan, before bm25 and before the
	// LIMIT counts the row; search_take receives the window in the outer
	// query, which SQLite cannot merge with an inner one that has a LIMIT.
	inner := `SELECT rowid AS id, ` + scoreSQL + ` AS s FROM search_fts WHERE search_fts MATCH ?`
	args = append(args, p.match.fts)
	if keep != nil {
		inner += ` AND search_keep(?, rowid)`
		args = append(args, h)
	}
	inner += ` ORDER BY rowid DESC`
	if limit > 0 {
		inner += ` LIMIT ?`
		args = append(args, limit)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM (`+inner+`) WHERE search_take(?, id, s)`, append(args, h)...).Scan(&n); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if s.missed {
		return nil, errMissed
	}
	return s, nil
}

// eachCached is eachMatch for filters alone and exclusions alone: a walk
// of the cache, newest first, without the index but for the articles an
// exclusion names.
func (p plan) eachCached(ctx context.Context, db *store.DB, c *docCache, keep keepFunc, fn func(id int64, a docAttrs, score float64) bool) error {
	var excluded []uint64 // a bit per article ID
	if p.e != nil {
		excluded = make([]uint64, len(c.docs)/64+1)
		s := &sink{take: func(id int64, _ float64) {
			if id > 0 && id < int64(len(c.docs)) {
				excluded[id/64] |= 1 << (id % 64)
			}
		}}
		h := sinks.add(s)
		defer sinks.remove(h)
		var n int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM search_fts WHERE search_fts MATCH ? AND search_take(?, rowid, 0)`,
			p.e.excluded().fts5(), h).Scan(&n)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	for id := int64(len(c.docs)) - 1; id > 0; id-- {
		a := c.docs[id]
		if a.lang == 0 || excluded != nil && excluded[id/64]&(1<<(id%64)) != 0 || keep != nil && !keep(id, a) {
			continue
		}
		if !fn(id, a, 0) {
			return nil
		}
	}
	return nil
}

// cachedSearch reads the window of a search from the cache and the
// index, and counts every match; ok is false when the cache does not
// apply, and the caller then reads search_docs.
func (p plan) cachedSearch(ctx context.Context, q store.Querier, c *docCache, sort string, facets bool) (w matchWindow, total int, ok bool, err error) {
	if c == nil {
		return w, 0, false, nil
	}
	db := q.(*store.DB)
	for range 2 {
		w, total, ok, err = p.cachedSearchOnce(ctx, db, c, sort, facets)
		if err != errMissed {
			return w, total, ok, err
		}
		// An article was indexed between the refresh and the scan.
		if err := c.refresh(ctx, db); err != nil {
			return w, 0, false, err
		}
	}
	return w, 0, false, nil // the index keeps growing: read search_docs
}

func (p plan) cachedSearchOnce(ctx context.Context, db *store.DB, c *docCache, sort string, facets bool) (matchWindow, int, bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	keep, ok := p.cachedFilters(c)
	if !ok {
		return matchWindow{}, 0, false, nil
	}
	w := matchWindow{rows: newWindowRows()}
	total := 0
	words := p.e != nil && !p.e.onlyExclusions()
	limit := 0
	if words {
		limit = countCap + 1
	}
	ranked, err := p.eachMatch(ctx, db, c, keep, sort == SortRelevance, limit, func(id int64, a docAttrs, score float64) bool {
		total++
		if len(w.rows) > countCap {
			return !words // filters alone count on, in memory
		}
		r := windowRow{cursorKey: cursorKey{id: id, unix: a.unix, score: score}, outletID: int64(a.outlet)}
		if facets {
			r.lang, r.day = c.lang(a), a.day()
			for _, o := range c.listed[id] {
				if o != r.outletID {
					r.listedBy = append(r.listedBy, o)
				}
			}
		}
		w.rows = append(w.rows, r)
		return true
	})
	if err != nil {
		w.release()
		return matchWindow{}, 0, false, err
	}
	if words && len(w.rows) > countCap {
		// The window stopped the scan: count the rest in the index.
		if total, err = p.cachedCount(ctx, db, c, keep, ranked); err != nil {
			w.release()
			return matchWindow{}, 0, false, err
		}
	}
	return w, total, true, nil
}

// cachedCount counts every match of words: without filters, as
// search_bm25 counted them when it ranked the window (ranked.counted:
// queries of one phrase), or in FTS5 alone (about 1 ms for ایران in
// 100,000 articles, a fifth of its search); with filters, with
// search_keep in the scan.
func (p plan) cachedCount(ctx context.Context, db *store.DB, c *docCache, keep keepFunc, ranked *sink) (int, error) {
	if keep == nil && ranked != nil && ranked.counted {
		return ranked.hits, nil
	}
	if keep == nil {
		return p.count(ctx, db)
	}
	s := &sink{keep: func(id int64) bool {
		a, ok := c.get(id)
		return ok && keep(id, a)
	}}
	h := sinks.add(s)
	defer sinks.remove(h)
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM search_fts WHERE search_fts MATCH ? AND search_keep(?, rowid)`, p.match.fts, h).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("search: count: %w", err)
	}
	return n, nil
}

// cachedCells is aggregate from the cache: every match counted by outlet,
// language and day, with other outlets' listings as aggregate counts them
// for series by; ok is false when the cache does not apply.
func (p plan) cachedCells(ctx context.Context, q store.Querier, c *docCache, by string, r roster) (cells []cell, ok bool, err error) {
	if c == nil {
		return nil, false, nil
	}
	db := q.(*store.DB)
	for range 2 {
		cells, ok, err = p.cachedCellsOnce(ctx, db, c, by, r)
		if err != errMissed {
			return cells, ok, err
		}
		if err := c.refresh(ctx, db); err != nil {
			return nil, false, err
		}
	}
	return nil, false, nil
}

func (p plan) cachedCellsOnce(ctx context.Context, db *store.DB, c *docCache, by string, r roster) ([]cell, bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	keep, ok := p.cachedFilters(c)
	if !ok {
		return nil, false, nil
	}
	type key struct {
		outlet int64
		lang   uint8
		day    int64
	}
	counts := map[key]int{}
	_, err := p.eachMatch(ctx, db, c, keep, false, 0, func(id int64, a docAttrs, _ float64) bool {
		counts[key{int64(a.outlet), a.lang, a.day()}]++
		switch by {
		case ByOutlet:
			for _, o := range c.listed[id] {
				counts[key{o, a.lang, a.day()}]++
			}
		case ByOrientation:
			for _, o := range otherCamps(r[int64(a.outlet)].Orientation, c.listed[id], r) {
				counts[key{o, a.lang, a.day()}]++
			}
		}
		return true
	})
	if err != nil {
		return nil, false, err
	}
	days := map[int64]string{}
	cells := make([]cell, 0, len(counts))
	for k, n := range counts {
		d, ok := days[k.day]
		if !ok {
			d = time.Unix(k.day*86400, 0).UTC().Format(dayLayout)
			days[k.day] = d
		}
		cells = append(cells, cell{outletID: k.outlet, lang: c.langs[k.lang-1], day: d, n: n})
	}
	return cells, true, nil
}

// rankedPage is one page of a search in relevance order.
type rankedPage struct {
	ids    []int64
	scores []float64
	next   string
	total  int
}

// cachedPage is a page in relevance order without facets, which needs
// nothing of the window but the page: SQLite ranks the window and keeps
// the page (and the row after it, for the cursor) in a sorter bounded by
// the LIMIT, and only those rows come to Go, rather than ten thousand
// (a quarter of a search of ایران went into handing them over). ok is
// false where the cache does not apply or the query has no words.
func (p plan) cachedPage(ctx context.Context, q store.Querier, c *docCache, cursor string, limit int) (rankedPage, bool, error) {
	if c == nil || p.e == nil || p.e.onlyExclusions() {
		return rankedPage{}, false, nil
	}
	db := q.(*store.DB)
	for range 2 {
		pg, ok, err := p.cachedPageOnce(ctx, db, c, cursor, limit)
		if err != errMissed {
			return pg, ok, err
		}
		if err := c.refresh(ctx, db); err != nil {
			return rankedPage{}, false, err
		}
	}
	return rankedPage{}, false, nil
}

func (p plan) cachedPageOnce(ctx context.Context, db *store.DB, c *docCache, cursor string, limit int) (rankedPage, bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	keep, ok := p.cachedFilters(c)
	if !ok {
		return rankedPage{}, false, nil
	}
	var after cursorKey
	if cursor != "" {
		var err error
		if after, err = p.decodeCursor(cursor, SortRelevance); err != nil {
			return rankedPage{}, false, err
		}
	}
	s := &sink{cache: c}
	passed := 0 // the window's rows, when filters test them
	s.keep = func(id int64) bool {
		a, ok := c.get(id)
		if !ok {
			s.missed = true
			return false
		}
		if keep(id, a) {
			passed++
			return true
		}
		return false
	}
	h := sinks.add(s)
	defer sinks.remove(h)
	var pg rankedPage
	// The window (the countCap newest matches) is the inner query, whose
	// LIMIT keeps SQLite from moving the cursor's condition into it. It
	// is ranked by search_bm25, FTS5's bm25 with the lengths of the cache
	// (bm25.go), the only ranking of the cached searches.
	window := `SELECT rowid AS id, ` + cachedScore + ` AS s FROM search_fts WHERE search_fts MATCH ?`
	args := []any{h, p.match.fts}
	if keep != nil {
		window += ` AND search_keep(?, rowid)`
		args = append(args, h)
	}
	window += ` ORDER BY rowid DESC LIMIT ?`
	args = append(args, countCap)
	q := `SELECT id, s FROM (` + window + `)`
	if cursor != "" {
		q += ` WHERE s > ? OR (s = ? AND id > ?)`
		args = append(args, after.score, after.score, after.id)
	}
	q += ` ORDER BY s, id LIMIT ?`
	if err := p.readPage(ctx, db, &pg, q, append(args, limit+1), limit); err != nil {
		return rankedPage{}, false, err
	}
	if s.missed {
		return rankedPage{}, false, errMissed
	}
	// A window that is not full has counted every match: search_keep
	// those that pass the filters, search_bm25 all without filters (it
	// ranks each row of the window once). A full window has not, and
	// cachedCount counts them.
	pg.total = passed
	if keep == nil {
		pg.total = s.ranked
	}
	if pg.total == countCap {
		var err error
		if pg.total, err = p.cachedCount(ctx, db, c, keep, s); err != nil {
			return rankedPage{}, false, err
		}
	}
	return pg, true, nil
}

// readPage reads the rows of a ranked page into pg, and closes them before
// the caller's next query, which would otherwise need a second connection
// of the pool while this one is held.
func (p plan) readPage(ctx context.Context, db *store.DB, pg *rankedPage, q string, args []any, limit int) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var last cursorKey
	for rows.Next() {
		var k cursorKey
		if err := rows.Scan(&k.id, &k.score); err != nil {
			return fmt.Errorf("search: %w", err)
		}
		if len(pg.ids) == limit {
			pg.next = p.encodeCursor(SortRelevance, last)
			break
		}
		pg.ids, pg.scores, last = append(pg.ids, k.id), append(pg.scores, k.score), k
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}
