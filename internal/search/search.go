package search

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
)

// Page sizes.
const (
	DefaultLimit = 20
	MaxLimit     = 200
)

// CountCap is the size of a search's window. When more articles match,
// the search ranks, pages and facets the CountCap most recently added of
// them (those with the highest article IDs), and says so
// (Result.Window); its Total still counts every match (PostgreSQL
// estimates large totals: Result.Estimated). Ranking and
// faceting every match of a word found in a third of a million-article
// archive takes most of a second, counting them a few milliseconds (see
// docs/search.md), and beyond ten thousand matches an analyst narrows the
// query rather than reads on.
const CountCap = 10_000

// countCap is CountCap, as a variable so that tests can lower it.
var countCap = CountCap

// Request is a search as the command line and the JSON API receive it.
type Request struct {
	Query string `json:"q"`
	// Sort is SortRelevance (the default for a query with words) or
	// SortNewest (the default, and only order, for filters alone).
	Sort  string `json:"sort,omitempty"`
	Limit int    `json:"limit,omitempty"`
	// Cursor continues a previous search: Result.NextCursor.
	Cursor string `json:"cursor,omitempty"`
	// Facets asks for counts by outlet, orientation, language and day.
	Facets bool `json:"facets,omitempty"`
}

// Result is one page of matching articles (or, for a speaker: query, of
// clips) and the number of all matches.
type Result struct {
	// Query is the query as understood, fully parenthesized.
	Query string `json:"query"`
	Sort  string `json:"sort"`
	// Total is the number of matches, every one counted, unless
	// Estimated.
	Total int `json:"total"`
	// Estimated is set when Total is an estimate, which only PostgreSQL
	// gives, for queries it expects to match more than 20,000 articles:
	// the newest matches counted and the older ones estimated from a
	// sample, to about 1% (postgresWindow).
	Estimated bool `json:"estimated,omitempty"`
	// Window is set (to CountCap) when more than CountCap articles match:
	// the hits, in either order, and the facets then come from the Window
	// most recently added matches, not from all Total of them.
	Window int   `json:"window,omitempty"`
	Hits   []Hit `json:"hits"`
	// Clips are the matches of a query with speaker:, which searches the
	// desk's clips instead of articles.
	Clips []Clip `json:"clips,omitempty"`
	// NextCursor fetches the next page; empty on the last page.
	NextCursor string  `json:"next_cursor,omitempty"`
	Facets     *Facets `json:"facets,omitempty"`
}

// ShownTotal is Total as a reader should see it: an estimate rounded to
// two significant digits and said to be one ("about 240,000"), since it
// is good to about 1%; a count as it is.
func (r Result) ShownTotal() string {
	if !r.Estimated {
		return strconv.Itoa(r.Total)
	}
	unit := 1
	for r.Total/unit >= 100 {
		unit *= 10
	}
	digits := strconv.Itoa((r.Total + unit/2) / unit * unit)
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + "," + digits[i:]
	}
	return "about " + digits
}

// Hit is a matching article. TitleHTML and SnippetHTML are HTML-escaped
// text with the matching words in <mark>; show them in an element with
// the hit's Lang and Dir.
type Hit struct {
	ArticleID   int64     `json:"article_id"`
	URL         string    `json:"url,omitempty"`
	Title       string    `json:"title"`
	TitleHTML   string    `json:"title_html"`
	SnippetHTML string    `json:"snippet_html"`
	Lang        string    `json:"lang,omitempty"`
	Dir         string    `json:"dir"`
	PublishedAt time.Time `json:"published_at"`
	Outlet      OutletRef `json:"outlet"`
	// Score is the relevance (higher is better) when sorted by relevance.
	Score float64 `json:"score,omitempty"`
}

// OutletRef names the outlet of a hit or a facet.
type OutletRef struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Orientation string `json:"orientation,omitempty"`
	Kind        string `json:"kind,omitempty"`
}

// Facets count the matches, not just the page, by one property each: all
// of them (Exact) or, when the result has a Window, the CountCap most
// recently added, so that each count is then a lower bound. An article
// that several outlets list (article_outlets) counts for each of them, and
// once for each of their orientations; so outlet counts may add up to
// more than Of, while each count is what the facet's filter finds.
type Facets struct {
	// Of is the number of matches counted: Result.Total, or the window.
	Of    int  `json:"of"`
	Exact bool `json:"exact"`

	Outlets      []Count `json:"outlets"`
	Orientations []Count `json:"orientations"`
	Langs        []Count `json:"langs"`
	// Days are in date order; the others most frequent first.
	Days []Count `json:"days"`
}

// Count is the number of matches with one value of a property.
type Count struct {
	Key   string `json:"key"`
	Label string `json:"label,omitempty"`
	Count int    `json:"count"`
}

// plan is a parsed request, ready to run on a dialect.
type plan struct {
	q     Query
	e     *expr
	match matchSQL
	// filters are the conditions of the filters alone, which match.where
	// begins with.
	filters where
}

func newPlan(d store.Dialect, query string) (plan, error) {
	q, err := Parse(query)
	if err != nil {
		return plan{}, err
	}
	e, err := compile(q)
	if err != nil {
		return plan{}, err
	}
	m := buildMatch(d, e)
	// Filters come first: where PostgreSQL filters scanned rows, it then
	// reads the tsvector only of the rows they let through.
	var w where
	addFilters(&w, d, articleFilters(q.Filters), docColumns)
	m.where = where{conds: append(w.conds, m.where.conds...), args: append(w.args, m.where.args...)}
	return plan{q: q, e: e, match: m, filters: w}, nil
}

// articleFilters drops speaker:, which only clips have.
func articleFilters(fs []Filter) []Filter {
	var out []Filter
	for _, f := range fs {
		if f.Field != FieldSpeaker {
			out = append(out, f)
		}
	}
	return out
}

// Search runs a request on db.
func Search(ctx context.Context, db store.Querier, req Request) (res Result, err error) {
	err = customPlans(ctx, db, func(q store.Querier) error {
		res, err = search(ctx, q, req)
		return err
	})
	return res, err
}

// customPlans runs fn so that PostgreSQL plans each statement for its own
// arguments. pgx prepares and caches statements, and after five runs of
// one PostgreSQL may switch to a generic plan that assumes a default
// selectivity for "tsv @@ $1": a plan that suits rare words then reads all
// 330,000 matches of ایران in a million articles (950 ms instead of 45 ms
// in the benchmark). Search statements differ in their words far more than
// planning costs, so they are always planned afresh. On SQLite, which has
// no generic plans, fn runs as it is.
//
// work_mem is raised to at least 64 MB for the same statements: the
// bitmap of a word's matches must fit in it, or PostgreSQL keeps only
// which pages hold matches and tests every row of those pages again,
// decompressing its tsvector. ایران in a million articles has matches on
// 187,000 pages, 45,000–53,000 of which the default 4 MB left lossy (about
// 150,000 rows tested again); 64 MB holds a bitmap of about 800,000 pages.
//
// JIT compilation is off for them: PostgreSQL compiles a statement whose
// estimated cost passes jit_above_cost, which a search of a common word
// in a million articles does, and compiling took 66 ms of a 272 ms statement.
//
// So are parallel workers. A search of a common word builds its bitmap in
// one process before the workers start, and they then read 16,000 rows
// and merge sorted streams back through the leader; on two cores, with
// the desk's other work beside it, the serial plan was faster: ایران in
// a million articles 79–80 ms against 88–89 ms (median of 10 in the
// benchmark's mix, load average 2.2–2.5).
func customPlans(ctx context.Context, q store.Querier, fn func(store.Querier) error) error {
	if q.Dialect() != store.Postgres {
		return fn(q)
	}
	const set = `SELECT set_config('plan_cache_mode', 'force_custom_plan', true), set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true),
		set_config('work_mem', greatest(pg_size_bytes(current_setting('work_mem')), 64 << 20) / 1024 || 'kB', true)`
	if db, ok := q.(*store.DB); ok {
		return db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, set); err != nil {
				return fmt.Errorf("search: %w", err)
			}
			return fn(tx)
		})
	}
	// The caller's transaction: the setting lasts until it ends.
	if _, err := q.ExecContext(ctx, set); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return fn(q)
}

func search(ctx context.Context, db store.Querier, req Request) (Result, error) {
	p, err := newPlan(db.Dialect(), req.Query)
	if err != nil {
		return Result{}, err
	}
	limit := req.Limit
	switch {
	case limit <= 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	res := Result{Query: p.q.String(), Hits: []Hit{}}
	if len(p.q.Values(FieldSpeaker)) > 0 {
		return searchClips(ctx, db, p, limit, res)
	}
	res.Sort, err = p.sort(req.Sort)
	if err != nil {
		return Result{}, err
	}
	c, roster, err := cacheAndRoster(ctx, db)
	if err != nil {
		return Result{}, err
	}
	if !req.Facets && res.Sort == SortRelevance {
		pg, ok, err := p.cachedPage(ctx, db, c, req.Cursor, limit)
		if err != nil {
			return Result{}, err
		}
		if ok {
			res.Total, res.NextCursor = pg.total, pg.next
			if pg.total > countCap {
				res.Window = countCap
			}
			res.Hits, err = hydrate(ctx, db, p.e, roster, pg.ids, pg.scores)
			return res, err
		}
	}
	w, total, cached, err := p.cachedSearch(ctx, db, c, res.Sort, req.Facets)
	if err != nil {
		return Result{}, err
	}
	if !cached {
		if err := p.narrowToFilters(ctx, db); err != nil {
			return Result{}, err
		}
		if w, err = p.window(ctx, db, res.Sort, req.Facets); err != nil {
			return Result{}, err
		}
	}
	defer w.release()
	ids, scores, next, err := p.page(w, res.Sort, req.Cursor, limit)
	if err != nil {
		return Result{}, err
	}
	res.NextCursor = next
	if res.Hits, err = hydrate(ctx, db, p.e, roster, ids, scores); err != nil {
		return Result{}, err
	}
	res.Total = len(w.rows)
	if len(w.rows) > countCap {
		// Only a full window costs a second query: the window already
		// counted every match of the others.
		res.Window = countCap
		res.Total = total
		if !cached {
			// PostgreSQL's window of words counted (or estimated) every
			// match.
			res.Total, res.Estimated = w.total, w.estimated
		}
		if res.Total == 0 {
			if res.Total, err = p.count(ctx, db); err != nil {
				return Result{}, err
			}
		}
	}
	if req.Facets {
		if !cached {
			if err := w.addListings(ctx, db); err != nil {
				return Result{}, err
			}
		}
		res.Facets = facetsOf(w.counted(), roster)
		res.Facets.Of, res.Facets.Exact = len(w.counted()), res.Window == 0
	}
	return res, nil
}

// narrowLimit bounds the articles that filters may select for
// narrowToFilters to test matches against them: SQLite builds such a set
// at about 2 µs an article, so beyond this the set costs more than the
// joins it saves.
const narrowLimit = 50_000

// narrowToFilters speeds up words with selective filters on SQLite, such
// as a common word in one camp's outlets during one summer. FTS5 cannot
// intersect its matches with an index, so each match is otherwise joined
// to search_docs to be filtered, about 1 µs each: 190,000 joins for مجلس
// in a million articles, when 3,700 pass. When the filters select fewer
// than half as many articles as the words match, it adds a test of each
// match against the set of those articles (found through search_docs'
// indexes, held in memory), which runs in the index scan, before any
// join; the join then reads only the matches that pass. PostgreSQL needs
// none of this: it intersects bitmaps of its GIN and B-tree indexes.
func (p *plan) narrowToFilters(ctx context.Context, db store.Querier) error {
	fs := articleFilters(p.q.Filters)
	if db.Dialect() != store.SQLite || len(fs) == 0 {
		return nil
	}
	var c where
	addFilters(&c, store.SQLite, fs, candidateColumns)
	if p.match.fts == "" {
		return p.narrowFiltersAlone(ctx, db, c)
	}
	var candidates, matches int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_docs c WHERE `+c.sql()+` LIMIT ?) c`,
		append(slices.Clip(c.args), narrowLimit)...).Scan(&candidates)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if candidates == narrowLimit {
		return nil
	}
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ?) f`,
		p.match.fts, 2*candidates+1).Scan(&matches)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if matches <= 2*candidates {
		return nil
	}
	// The + keeps SQLite from probing FTS5 once per candidate instead.
	p.match.where.add(`+search_fts.rowid IN (SELECT c.article_id FROM search_docs c WHERE `+c.sql()+`)`, c.args...)
	return nil
}

// narrowFiltersAlone drives a search of filters alone (no words) from
// search_docs' indexes when they select at most a window of articles. The
// window is the newest matches by article ID, which SQLite serves by
// walking the table backwards and testing each row: for after:yesterday
// in a million articles it walks them all (150 ms) to find a few. The
// list of those few, read from the filters' index, lets SQLite look up
// just their rows instead (under a millisecond). Past a window of
// candidates the walk stops early enough, and the list would cost more.
func (p *plan) narrowFiltersAlone(ctx context.Context, db store.Querier, c where) error {
	var candidates int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_docs c WHERE `+c.sql()+` LIMIT ?) c`,
		append(slices.Clip(c.args), countCap+1)...).Scan(&candidates)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if candidates <= countCap {
		p.match.where.add(`d.article_id IN (SELECT c.article_id FROM search_docs c WHERE `+c.sql()+`)`, c.args...)
	}
	return nil
}

// windowSQL is the query of the newest n matches by article ID, selecting
// cols (whose arguments come first): what a search ranks, sorts, counts
// and facets, so that its cost stops growing at n matches.
func (p plan) windowSQL(cols string, colArgs []any, n int) (string, []any) {
	m := p.match
	args := append(slices.Clip(colArgs), m.where.args...)
	return `SELECT ` + cols + ` FROM ` + m.from + ` WHERE ` + m.where.sql() +
		` ORDER BY ` + m.newest + ` DESC LIMIT ?`, append(args, n)
}

// bareWindow is windowSQL without the join to search_docs, whose columns
// cols cannot use; ok is false when a filter needs the join.
func (p plan) bareWindow(cols string, colArgs []any, n int) (q string, args []any, ok bool) {
	m := p.match
	if m.fts == "" || len(m.where.conds) != 1 {
		return "", nil, false
	}
	args = append(slices.Clip(colArgs), m.fts, n)
	return `SELECT ` + cols + ` FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?`, args, true
}

// count counts every match. It reads the index alone where it can
// (FTS5 without the join for words without filters; a GIN bitmap on
// PostgreSQL), no column of a match: about 1 ms for ایران in 100,000
// articles, against 9 ms to rank its window.
func (p plan) count(ctx context.Context, db store.Querier) (int, error) {
	q, args := `SELECT count(*) FROM `+p.match.from+` WHERE `+p.match.where.sql(), p.match.where.args
	if p.match.fts != "" && len(p.match.where.conds) == 1 {
		q, args = `SELECT count(*) FROM search_fts WHERE search_fts MATCH ?`, []any{p.match.fts}
	}
	var n int
	if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("search: count: %w", err)
	}
	return n, nil
}

// sort checks the requested order against what the query can give.
func (p plan) sort(want string) (string, error) {
	switch want {
	case "":
		if p.match.ranked() {
			return SortRelevance, nil
		}
		return SortNewest, nil
	case SortNewest:
		return SortNewest, nil
	case SortRelevance:
		if !p.match.ranked() {
			// Nothing to rank by: filters alone, or only exclusions.
			return SortNewest, nil
		}
		return SortRelevance, nil
	}
	return "", fmt.Errorf("search: %w: unknown sort %q (use %s or %s)", ErrInvalid, want, SortRelevance, SortNewest)
}

// windowRow is one match of a search's window, with what the page and
// the facets need of it.
type windowRow struct {
	cursorKey
	outletID int64
	lang     string
	// day is the UTC day of publication, in days since 1970-01-01 (as
	// search_docs.day holds it, computed from the time).
	day int64
	// listedBy are the other outlets that list the article
	// (article_outlets), read only for facets.
	listedBy []int64
}

// matchWindow is the window of a search: its CountCap+1 newest matches by
// article ID, newest first. A window of CountCap+1 tells "more" from
// "exactly CountCap"; its oldest row is then left out of the page and
// the facets.
type matchWindow struct {
	rows []windowRow
	// total is the number of every match when the window's query counted
	// them (postgresWindow), else 0; estimated says it is an estimate.
	total     int
	estimated bool
}

// window reads the window of a search in one pass, which then gives its
// page, its count and its facets. Sorting and counting ten thousand rows
// in Go costs a few hundred microseconds; done in SQL with window
// functions they went through temporary b-trees, and facets read the
// window a second time (together two thirds of a search of ایران).
func (p plan) window(ctx context.Context, db store.Querier, sort string, facets bool) (matchWindow, error) {
	score, scoreArgs := "0", []any(nil)
	if sort == SortRelevance {
		score, scoreArgs = p.match.score, p.match.scoreArgs
	}
	if db.Dialect() == store.Postgres && p.e != nil && !p.e.onlyExclusions() {
		return p.postgresWindow(ctx, db, facets, score, scoreArgs, countCap+1)
	}
	// Only the columns needed are read: each column of ten thousand rows
	// costs about half a millisecond to scan.
	var r windowRow
	dest := []any{&r.id, &r.unix, &r.score}
	cols := `d.article_id, d.published_unix, ` + score
	if facets {
		cols += `, d.outlet_id, d.lang`
		dest = append(dest, &r.outletID, &r.lang)
	}
	// Words without filters are ranked in the index alone, and only the
	// page is joined to search_docs for its times (in hydrate): ten
	// thousand lookups saved on a common word.
	var q string
	var args []any
	bare := false
	if sort == SortRelevance && !facets {
		q, args, bare = p.bareWindow(`rowid, `+score, scoreArgs, countCap+1)
	}
	if bare {
		dest = []any{&r.id, &r.score}
	} else {
		q, args = p.windowSQL(cols, scoreArgs, countCap+1)
	}
	return readWindow(ctx, db, q, args, dest, &r, nil)
}

// readWindow runs a window's query, scanning each row into r through
// dest, and after it those of extra (the counts of postgresWindow).
func readWindow(ctx context.Context, db store.Querier, q string, args, dest []any, r *windowRow, extra []any) (matchWindow, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return matchWindow{}, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	w := matchWindow{rows: newWindowRows()}
	dest = append(slices.Clip(dest), extra...)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return matchWindow{}, fmt.Errorf("search: %w", err)
		}
		r.day = floorDiv(r.unix, 86400)
		w.rows = append(w.rows, *r)
	}
	return w, rows.Err()
}

// The estimate of a large total on PostgreSQL (postgresWindow), as
// variables so that tests can lower them.
var (
	// estimateAbove is the number of matches a search must expect (see
	// sample) for its total to be estimated rather than counted.
	estimateAbove = 20_000
	// sampleTarget is about how many matches older than the window the
	// estimate counts: each costs a visit to its row, and the error of a
	// sample of 4,000 is about 1.5% (root mean square; the largest 3.7% at
	// a million articles: docs/search.md).
	sampleTarget = 4_000
)

// sampleRanges is the most ranges of article IDs a sample is made of:
// spread over the archive, so that a word's rise and fall over time
// weighs in the estimate as it does in the archive. Each range is a block
// of IDs, a term of the sample's tsquery (idbuckets.go).
const sampleRanges = 16

// postgresWindow reads the window of a query with words on PostgreSQL
// and counts or estimates its total.
//
// PostgreSQL finds the matches in the GIN index, but it counts them only
// by visiting each one's row of search_docs: it does not skip the heap in
// a bitmap scan even of all-visible pages (15.20 on the benchmark's
// machine). ایران in a million articles has 240,000 matches on 187,000
// pages, a second of reading to count what no reader needs to the unit.
// So when a search expects more than estimateAbove matches, it reads only
// the newest matches — those above an article ID chosen from the
// expected number so that the window fills — and a sample of the
// older ones: about sampleTarget matches in sampleRanges ranges of IDs
// spread over the rest of the archive. One statement asks the GIN index
// for the query and the blocks of IDs of both (idbuckets.go), counts each
// part, and keeps the window. The total is then the exact count of
// the newest part plus the sample's count scaled to the rest
// (Result.Estimated). When the newest part falls short of a window, the
// search tries again with a range set from the density it found, and
// after two tries counts every match.
//
// The window is the same either way: the newest n matches. They are
// ranked as the index's rows are read, while each row's tsvector is at
// hand: ts_rank reads the whole tsvector, and reading the row again for
// the kept rows only (by its ctid, after the LIMIT) cost about 2.7 µs a
// row against 1 (the phrase "مذاکرات هسته‌ای" at a million articles, 103
// ms against 76). A sample ranks only its newest part, the rows the
// window can keep.
func (p plan) postgresWindow(ctx context.Context, db store.Querier, facets bool, score string, scoreArgs []any, n int) (matchWindow, error) {
	m := p.match
	var r windowRow
	var total, fresh int
	dest := []any{&r.id, &r.unix, &r.score}
	extra := ``
	if facets {
		extra = `, d.outlet_id, d.lang`
		dest = append(dest, &r.outletID, &r.lang)
	}
	run := func(s *idSample) (matchWindow, error) {
		total, fresh = 0, 0 // an empty window scans no row
		// Arguments in the order of their places in the text: the
		// FILTER's, the score's, the WHERE's, the LIMIT's.
		cond, counts, ranked := m.where.sql(), `, 0 AS fresh`, score
		var args []any
		if s != nil {
			counts = `, count(*) FILTER (WHERE d.article_id > ?) OVER () AS fresh`
			args = append(args, s.above)
			if score != "0" {
				// The rows below the newest part are only counted.
				ranked = `CASE WHEN d.article_id > ? THEN ` + score + ` ELSE 0 END`
				args = append(args, s.above)
			}
		}
		args = append(args, scoreArgs...)
		if s == nil {
			args = append(args, m.where.args...)
		} else {
			// The query and the blocks of IDs of each part of the sample in
			// a tsquery, which the GIN index answers alone (idbuckets.go),
			// its phrases read as their words in any order; the whole query
			// is then tested (ts_match_vq, the function of @@, which no
			// index serves) on the rows in the sample only. Filters that
			// would select more articles than the words are tested on those
			// rows too: a bitmap of their index spans the whole archive (the
			// 96,000 English articles of lang:en talks, 15 ms), and removes
			// none of the rows the words and blocks select.
			u, phrase := p.e.unordered()
			w := where{args: args}
			if s.filtersLead {
				w = where{conds: slices.Clip(p.filters.conds), args: append(args, p.filters.args...)}
			} else {
				addFilters(&w, store.Postgres, articleFilters(p.q.Filters), rowColumns)
			}
			newest, ranges := s.tsqueries()
			w.add(`(d.tsv @@ CAST(? AS tsquery) OR d.tsv @@ CAST(? AS tsquery))`, u.tsquery()+` & `+newest, u.tsquery()+` & `+ranges)
			if phrase {
				w.add(`ts_match_vq(d.tsv, CAST(? AS tsquery))`, p.e.tsquery())
			}
			cond, args = w.sql(), w.args
		}
		args = append(args, n)
		// OFFSET 0 keeps the rows' scan, which computes the score, apart
		// from the window function: merged, PostgreSQL kept each row's
		// tsvector in the window's store to rank it there.
		q := `SELECT d.article_id, d.published_unix, d.score` + extra + `, count(*) OVER () AS total` + counts +
			` FROM (SELECT d.article_id, d.published_unix, ` + ranked + ` AS score` + extra + ` FROM ` + m.from + ` WHERE ` + cond + ` OFFSET 0) d` +
			` ORDER BY d.article_id DESC LIMIT ?`
		w, err := readWindow(ctx, db, q, args, dest, &r, []any{&total, &fresh})
		if err != nil {
			return w, err
		}
		w.total = total
		if s != nil {
			w.total, w.estimated = fresh+s.scale(total-fresh), true
		}
		return w, nil
	}
	s, err := p.sample(ctx, db, n)
	if err != nil {
		return matchWindow{}, err
	}
	for try := 0; s != nil && try < 2; try++ {
		w, err := run(s)
		if err != nil || fresh >= n {
			return w, err
		}
		w.release()
		s = s.widen(fresh, n)
	}
	return run(nil)
}

// counted is the part of the window that the page and facets use: the
// CountCap newest matches.
func (w matchWindow) counted() []windowRow { return w.rows[:min(len(w.rows), countCap)] }

// addListings reads which other outlets list the counted matches, for
// the facets. Such listings are few (one URL in two outlets' feeds), so
// they are read by one range scan of article_outlets' primary key between
// the window's lowest and highest article ID, not by a lookup per match.
func (w matchWindow) addListings(ctx context.Context, db store.Querier) error {
	rows := w.counted()
	if len(rows) == 0 {
		return nil
	}
	lo, hi := rows[0].id, rows[0].id
	for _, r := range rows {
		lo, hi = min(lo, r.id), max(hi, r.id)
	}
	list, err := db.QueryContext(ctx, `SELECT article_id, outlet_id FROM article_outlets WHERE article_id BETWEEN ? AND ?`, lo, hi)
	if err != nil {
		return fmt.Errorf("search: listings: %w", err)
	}
	defer list.Close()
	var at map[int64]int // built on the first listing: most windows have none
	for list.Next() {
		var article, outlet int64
		if err := list.Scan(&article, &outlet); err != nil {
			return fmt.Errorf("search: listings: %w", err)
		}
		if at == nil {
			at = make(map[int64]int, len(rows))
			for i, r := range rows {
				at[r.id] = i
			}
		}
		if i, ok := at[article]; ok && outlet != rows[i].outletID {
			rows[i].listedBy = append(rows[i].listedBy, outlet)
		}
	}
	return list.Err()
}

// page returns the IDs of one page of the window, with their scores and
// the cursor of the next page. Pagination is by keyset: the cursor holds
// the sort key of the last row, so deep pages cost no more than the first
// and concurrent inserts never shift or repeat rows in newest order. In
// relevance order, scores move as the index grows; a cursor then still
// never repeats a row, but may skip or show newly ranked ones. Both orders
// sort the window of the CountCap newest matches.
func (p plan) page(w matchWindow, sort, cursor string, limit int) (ids []int64, scores []float64, next string, err error) {
	var c cursorKey
	if cursor != "" {
		if c, err = p.decodeCursor(cursor, sort); err != nil {
			return nil, nil, "", err
		}
	}
	// order compares two rows as the page lists them: by score then ID
	// (lower scores are better), or newest first.
	order := func(a, b cursorKey) int {
		if sort == SortRelevance {
			return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.id, b.id))
		}
		return cmp.Or(cmp.Compare(b.unix, a.unix), cmp.Compare(b.id, a.id))
	}
	// Only the page and the row after it are needed, in order: they are
	// kept sorted as the window is read, so that most rows cost one
	// comparison with the worst kept (sorting the whole window took a
	// tenth of a search of ایران).
	keys := make([]cursorKey, 0, limit+1)
	for _, r := range w.counted() {
		k := r.cursorKey
		if cursor != "" && order(c, k) >= 0 || len(keys) == limit+1 && order(k, keys[limit]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(keys, k, order)
		if len(keys) == limit+1 {
			keys = keys[:limit]
		}
		keys = slices.Insert(keys, i, k)
	}
	for i, k := range keys {
		if i == limit {
			return ids, scores, p.encodeCursor(sort, keys[i-1]), nil
		}
		ids, scores = append(ids, k.id), append(scores, k.score)
	}
	return ids, scores, "", nil
}

// cursorKey is the sort key of a row.
type cursorKey struct {
	id    int64
	unix  int64
	score float64
}

// A cursor is "sort.key.id.hash" in URL-safe base64; the hash of the
// query and sort makes a cursor from another search fail loudly rather
// than page through the wrong results.
func (p plan) encodeCursor(sort string, k cursorKey) string {
	key := strconv.FormatInt(k.unix, 10)
	if sort == SortRelevance {
		key = strconv.FormatFloat(k.score, 'g', -1, 64)
	}
	raw := sort + "." + key + "." + strconv.FormatInt(k.id, 10) + "." + p.hash(sort)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ErrInvalid marks errors in a request (as opposed to failures of the
// store): a bad sort, cursor, interval or split. Malformed queries are
// reported as *Error.
var ErrInvalid = errors.New("invalid request")

var errCursor = fmt.Errorf("search: %w: the cursor does not belong to this query and sort; start again without it", ErrInvalid)

func (p plan) decodeCursor(s, sort string) (cursorKey, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursorKey{}, errCursor
	}
	parts := strings.Split(string(raw), ".")
	// A float key may hold a dot and an exponent: split from both ends.
	if len(parts) < 4 || parts[0] != sort || parts[len(parts)-1] != p.hash(sort) {
		return cursorKey{}, errCursor
	}
	key := strings.Join(parts[1:len(parts)-2], ".")
	var c cursorKey
	if c.id, err = strconv.ParseInt(parts[len(parts)-2], 10, 64); err != nil {
		return c, errCursor
	}
	if sort == SortRelevance {
		c.score, err = strconv.ParseFloat(key, 64)
	} else {
		c.unix, err = strconv.ParseInt(key, 10, 64)
	}
	if err != nil {
		return c, errCursor
	}
	return c, nil
}

func (p plan) hash(sort string) string {
	h := fnv.New32a()
	h.Write([]byte(sort + "\x00" + p.q.String()))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// cell is the number of matches of one outlet, language and day: the
// finest grain that facets and coverage need, fetched in one query.
type cell struct {
	outletID int64
	lang     string
	day      string
	n        int
}

// aggregate counts every match by cell, for coverage, which must be
// complete (facets count the window: facetsOf). An article listed by other
// outlets too (one URL in two outlets' feeds: ingest's article_outlets)
// counts, in series by outlet, for each of them as well; in series by
// orientation, once for each orientation among its outlets (a cell of the
// lowest listing outlet of each orientation other than its own outlet's);
// in series of all articles or by language, once.
func (p plan) aggregate(ctx context.Context, db store.Querier, by string) ([]cell, error) {
	m := p.match
	q := `SELECT d.outlet_id, d.lang, d.day, count(*) FROM ` + m.from + ` WHERE ` + m.where.sql() + ` GROUP BY d.outlet_id, d.day, d.lang`
	args := m.where.args
	switch by {
	case ByOutlet:
		q += ` UNION ALL SELECT ao.outlet_id, d.lang, d.day, count(*) FROM ` + m.from + ` JOIN article_outlets ao ON ao.article_id = d.article_id
		WHERE ` + m.where.sql() + ` GROUP BY ao.outlet_id, d.day, d.lang`
		args = append(slices.Clip(m.where.args), m.where.args...)
	case ByOrientation:
		q += ` UNION ALL SELECT ao.outlet_id, d.lang, d.day, count(*) FROM ` + m.from + ` JOIN article_outlets ao ON ao.article_id = d.article_id
			JOIN outlets listing ON listing.id = ao.outlet_id JOIN outlets own ON own.id = d.outlet_id
		WHERE (` + m.where.sql() + `) AND listing.orientation <> own.orientation
			AND NOT EXISTS (SELECT 1 FROM article_outlets prior JOIN outlets po ON po.id = prior.outlet_id
				WHERE prior.article_id = ao.article_id AND prior.outlet_id < ao.outlet_id AND po.orientation = listing.orientation)
		GROUP BY ao.outlet_id, d.day, d.lang`
		args = append(slices.Clip(m.where.args), m.where.args...)
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("search: counts: %w", err)
	}
	defer rows.Close()
	var out []cell
	for rows.Next() {
		var c cell
		if err := rows.Scan(&c.outletID, &c.lang, &c.day, &c.n); err != nil {
			return nil, fmt.Errorf("search: counts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// roster maps outlet IDs to outlets; the desk follows dozens, not
// thousands, so the whole roster is read at once (on SQLite, kept by the
// docCache until the outlets change). It is never modified once read.
type roster map[int64]outlets.Outlet

func loadRoster(ctx context.Context, db store.Querier) (roster, error) {
	list, err := outlets.ListOutlets(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("search: outlets: %w", err)
	}
	r := make(roster, len(list))
	for _, o := range list {
		r[o.ID] = o
	}
	return r, nil
}

// cacheAndRoster returns db's docCache, brought up to date (nil where it
// does not apply: see cacheFor), and the outlets: the cache's copy, or
// read from db.
func cacheAndRoster(ctx context.Context, db store.Querier) (*docCache, roster, error) {
	c, err := cacheFor(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	if c != nil {
		c.mu.RLock()
		defer c.mu.RUnlock()
		return c, c.outlets, nil
	}
	r, err := loadRoster(ctx, db)
	return nil, r, err
}

func (r roster) ref(id int64) OutletRef {
	o, ok := r[id]
	if !ok {
		return OutletRef{Key: strconv.FormatInt(id, 10), Name: "outlet " + strconv.FormatInt(id, 10)}
	}
	return OutletRef{Key: o.Key, Name: o.Name, Orientation: o.Orientation, Kind: string(o.Kind)}
}

// hydrate loads the articles of a page and highlights them.
func hydrate(ctx context.Context, db store.Querier, e *expr, r roster, ids []int64, scores []float64) ([]Hit, error) {
	hits := make([]Hit, 0, len(ids))
	if len(ids) == 0 {
		return hits, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.QueryContext(ctx, `SELECT id, outlet_id, url, title, text, lang, published_at, fetched_at
		FROM articles WHERE id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("search: load articles: %w", err)
	}
	defer rows.Close()
	byID := map[int64]Hit{}
	mk := newMarker(newTermSet(e))
	defer mk.release()
	for rows.Next() {
		var h Hit
		var outletID int64
		var body string
		var published sql.NullTime
		var fetched time.Time
		if err := rows.Scan(&h.ArticleID, &outletID, &h.URL, &h.Title, &body, &h.Lang, &published, &fetched); err != nil {
			return nil, fmt.Errorf("search: load articles: %w", err)
		}
		h.PublishedAt = fetched.UTC()
		if published.Valid {
			h.PublishedAt = published.Time.UTC()
		}
		h.Outlet = r.ref(outletID)
		h.Dir = dir(h.Lang)
		h.TitleHTML = mk.highlightAll(h.Title)
		h.SnippetHTML = mk.snippet(body)
		byID[h.ArticleID] = h
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, id := range ids {
		h, ok := byID[id]
		if !ok {
			continue // deleted since the page was read
		}
		if scores[i] != 0 {
			h.Score = -scores[i]
		}
		hits = append(hits, h)
	}
	return hits, nil
}
