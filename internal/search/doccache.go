package search

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"weak"

	"modernc.org/sqlite"

	"github.com/pressreview/pressreview/internal/store"
)

// docCache holds in memory, on SQLite, what filters, facets, coverage and
// the newest order read of each indexed article: its outlet, language and
// publication time (search_docs), and the other outlets that list it
// (article_outlets). With it a search runs on the full-text index alone:
// FTS5 yields the matching article IDs, and a function of this package
// called by SQLite inside the scan (search_keep, search_take: registered
// below) tests each against the filters and hands it to Go, for about
// 0.1 µs a match. Read from SQL instead, each match cost a join to
// search_docs (about 0.5 µs) and a row through database/sql (0.2 µs a
// column), which made facets and filters the slowest searches. Bleve keeps
// the same attributes as column-oriented doc values for the same reason.
//
// It also holds each article's length in tokens, as search_fts_docsize
// does, for ranking (search_bm25, bm25.go).
//
// It costs about 20 bytes an article (20 MB at a million), loaded on the
// first search (70–80 ms of CPU at 100,000 articles, half a second at a
// million), and follows the
// database through search_changes (migration 00026), which indexing
// (logChanges) and triggers on deletions and listings fill: every search
// first applies the changes logged since the last one it saw, one query
// when there are none. SQLite commits one writer at a time, so the log's
// committed sequence numbers only grow; a search inside a caller's
// transaction, which may see changes it will roll back, does not use the
// cache (see cacheFor).
type docCache struct {
	mu sync.RWMutex
	// unusable is set when the archive cannot be held (errUncacheable):
	// its searches read search_docs until the process restarts.
	unusable bool
	// seq is the last change applied; 0 before the first load.
	seq int64
	// docs is indexed by article ID.
	docs []docAttrs
	// tokens is indexed by article ID too: the article's length in tokens
	// (title and body), or noTokens.
	tokens []uint32
	// langs are the languages, docAttrs.lang-1 indexing them.
	langs   []string
	langIdx map[string]uint8
	// listed are the other outlets that list an article.
	listed map[int64][]int64
	// outlets is the roster as of outletsVersion, the counter that
	// triggers on the outlets table move (migration 00033); nil before
	// the first read. Searches show and filter by outlets on every page,
	// and reading them took a tenth of a short search. A new map replaces
	// it on a change, so that a search may keep using the one it got.
	outlets        roster
	outletsVersion int64
}

// docAttrs are one article's attributes; lang 0 marks an ID that is not
// indexed.
type docAttrs struct {
	unix   int64
	outlet int32
	lang   uint8
}

// noTokens marks an article whose length the cache does not hold: not
// indexed, or without a row in search_fts_docsize, which indexing
// always writes.
const noTokens = ^uint32(0)

// day is the UTC day of the article, as search_docs.day holds it: days
// since 1970-01-01.
func (a docAttrs) day() int64 { return floorDiv(a.unix, 86400) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// caches maps each open database to its docCache; an entry goes when its
// *store.DB is garbage collected (tests open hundreds).
var caches struct {
	sync.Mutex
	m map[weak.Pointer[store.DB]]*docCache
}

// cacheFor returns db's cache, brought up to date, or nil where the cache
// does not apply: PostgreSQL, and a transaction, whose uncommitted writes
// the log shows but may roll back. The caller then reads search_docs.
func cacheFor(ctx context.Context, q store.Querier) (*docCache, error) {
	db, ok := q.(*store.DB)
	if !ok || db.Dialect() != store.SQLite {
		return nil, nil
	}
	key := weak.Make(db)
	caches.Lock()
	if caches.m == nil {
		caches.m = map[weak.Pointer[store.DB]]*docCache{}
	}
	c := caches.m[key]
	if c == nil {
		c = &docCache{}
		caches.m[key] = c
		runtime.AddCleanup(db, func(k weak.Pointer[store.DB]) {
			caches.Lock()
			delete(caches.m, k)
			caches.Unlock()
		}, key)
	}
	caches.Unlock()
	err := c.refresh(ctx, db)
	if errors.Is(err, errUncacheable) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// errUncacheable marks an archive the cache cannot hold: article IDs far
// sparser than the articles, outlet IDs beyond 32 bits, more than 255
// languages. None happens on a desk's archive; the searches then read
// search_docs, as on PostgreSQL.
var errUncacheable = errors.New("search: the archive's attributes cannot be held in memory")

// maxSparse bounds how far article IDs may outrun the number of indexed
// articles before the cache declines (a dense array indexed by ID would
// then waste memory): IDs are assigned in order, so this never happens on
// a desk's archive.
const maxSparse = 1 << 20

// refresh applies the changes logged since the last refresh, or loads
// everything when the log no longer reaches back that far (it was
// pruned) or most of the archive changed (a reindex), and rereads the
// outlets when they changed.
func (c *docCache) refresh(ctx context.Context, db *store.DB) error {
	// One statement, one query per search when nothing changed. The
	// subqueries each read one end of the log's b-tree: min and max in
	// one SELECT made SQLite scan the whole log, which holds the last
	// hundred thousand changes (keptChanges).
	var first, last, outletsVersion int64
	err := db.QueryRowContext(ctx, `SELECT coalesce((SELECT min(seq) FROM search_changes), 0),
		coalesce((SELECT max(seq) FROM search_changes), 0),
		(SELECT version FROM search_outlets_version WHERE id = 1)`).Scan(&first, &last, &outletsVersion)
	if err != nil {
		return fmt.Errorf("search: changes: %w", err)
	}
	c.mu.RLock()
	current, unusable := c.seq == last && c.docs != nil, c.unusable
	outletsCurrent := c.outlets != nil && c.outletsVersion == outletsVersion
	c.mu.RUnlock()
	if unusable {
		return errUncacheable
	}
	if current && outletsCurrent {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.outlets == nil || c.outletsVersion != outletsVersion {
		// Read after the counter: a change committed in between makes
		// the roster newer than the counter says, and the next search
		// reads it again.
		r, err := loadRoster(ctx, db)
		if err != nil {
			return err
		}
		c.outlets, c.outletsVersion = r, outletsVersion
	}
	if c.seq == last && c.docs != nil {
		return nil // current, or another search refreshed meanwhile
	}
	if c.docs == nil || first > c.seq+1 || last-c.seq > int64(len(c.docs)/4)+1000 {
		err = c.load(ctx, db, last)
	} else {
		err = c.apply(ctx, db, last)
	}
	if err != nil {
		// Half applied: the next search loads everything again.
		c.docs, c.seq = nil, 0
		c.unusable = errors.Is(err, errUncacheable)
	}
	return err
}

// load reads every article's attributes. The log is read first, so that
// changes committed during the load are applied again by the next
// refresh (applying a change twice does no harm).
func (c *docCache) load(ctx context.Context, db *store.DB, seq int64) error {
	var n, maxID int64
	if err := db.QueryRowContext(ctx, `SELECT count(*), coalesce(max(article_id), 0) FROM search_docs`).Scan(&n, &maxID); err != nil {
		return fmt.Errorf("search: load attributes: %w", err)
	}
	if maxID > 4*n+maxSparse {
		return fmt.Errorf("%w: %d articles up to ID %d", errUncacheable, n, maxID)
	}
	c.docs = make([]docAttrs, maxID+1, maxID+maxID/8+1)
	c.tokens = make([]uint32, maxID+1, maxID+maxID/8+1)
	c.langs, c.langIdx = nil, map[string]uint8{}
	c.listed = map[int64][]int64{}
	// Rows through database/sql cost 0.2 µs a column; a function called
	// in the scan, a tenth of that.
	s := &sink{load: c}
	h := sinks.add(s)
	defer sinks.remove(h)
	var loaded int64
	// One statement, so that attributes and lengths are of one snapshot.
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM search_docs d
		LEFT JOIN search_fts_docsize z ON z.id = d.article_id
		WHERE search_load(?, d.article_id, d.outlet_id, d.lang, d.published_unix, z.sz)`, h).Scan(&loaded)
	if s.err != nil {
		return s.err // SQLite passes on only its text
	}
	if err != nil {
		return fmt.Errorf("search: load attributes: %w", err)
	}
	if err := c.loadListings(ctx, db, `SELECT article_id, outlet_id FROM article_outlets`); err != nil {
		return err
	}
	c.seq = seq
	return nil
}

func (c *docCache) loadListings(ctx context.Context, db *store.DB, q string, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("search: load listings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var article, outlet int64
		if err := rows.Scan(&article, &outlet); err != nil {
			return fmt.Errorf("search: load listings: %w", err)
		}
		c.listed[article] = append(c.listed[article], outlet)
	}
	return rows.Err()
}

// apply rereads the articles changed after c.seq up to seq.
func (c *docCache) apply(ctx context.Context, db *store.DB, seq int64) error {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT article_id FROM search_changes WHERE seq > ? AND seq <= ?`, c.seq, seq)
	if err != nil {
		return fmt.Errorf("search: changes: %w", err)
	}
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("search: changes: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("search: changes: %w", err)
	}
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(start+500, len(ids))]
		for _, id := range batch {
			id := id.(int64)
			if id < int64(len(c.docs)) {
				c.docs[id] = docAttrs{}
			}
			delete(c.listed, id)
		}
		in := `(` + placeholders(len(batch)) + `)`
		rows, err := db.QueryContext(ctx, `SELECT d.article_id, d.outlet_id, d.lang, d.published_unix, z.sz
			FROM search_docs d LEFT JOIN search_fts_docsize z ON z.id = d.article_id
			WHERE d.article_id IN `+in, batch...)
		if err != nil {
			return fmt.Errorf("search: changes: %w", err)
		}
		for rows.Next() {
			var id, outlet, unix int64
			var lang string
			var sz []byte
			if err := rows.Scan(&id, &outlet, &lang, &unix, &sz); err != nil {
				rows.Close()
				return fmt.Errorf("search: changes: %w", err)
			}
			if err := c.set(id, outlet, lang, unix, sz); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("search: changes: %w", err)
		}
		if err := c.loadListings(ctx, db, `SELECT article_id, outlet_id FROM article_outlets WHERE article_id IN `+in, batch...); err != nil {
			return err
		}
	}
	c.seq = seq
	return nil
}

// set records one article's attributes and its length from its
// search_fts_docsize row sz (nil: none); c.mu is held for writing.
func (c *docCache) set(id, outlet int64, lang string, unix int64, sz []byte) error {
	if id <= 0 || outlet < 0 || outlet > 1<<31-1 {
		return fmt.Errorf("%w: article %d of outlet %d", errUncacheable, id, outlet)
	}
	if id >= int64(len(c.docs)) {
		if id > int64(len(c.docs))+maxSparse {
			return fmt.Errorf("%w: article ID %d far beyond %d", errUncacheable, id, len(c.docs))
		}
		c.tokens = append(c.tokens, make([]uint32, id+1-int64(len(c.docs)))...)
		c.docs = append(c.docs, make([]docAttrs, id+1-int64(len(c.docs)))...)
	}
	l, ok := c.langIdx[lang]
	if !ok {
		if len(c.langs) == 255 {
			return fmt.Errorf("%w: more than 255 languages", errUncacheable)
		}
		c.langs = append(c.langs, lang)
		l = uint8(len(c.langs))
		c.langIdx[lang] = l
	}
	c.docs[id] = docAttrs{unix: unix, outlet: int32(outlet), lang: l}
	c.tokens[id] = docTokens(sz)
	return nil
}

// docTokens is the length in tokens of all columns that a row of
// search_fts_docsize records, as FTS5's xColumnSize(-1) adds them up: one
// SQLite varint per column. A row it cannot read gives noTokens, and FTS5
// then measures the article itself.
func docTokens(sz []byte) uint32 {
	if sz == nil {
		return noTokens
	}
	var total uint64
	for len(sz) > 0 {
		var v uint64
		i := 0
		for ; i < len(sz) && i < 5; i++ {
			v = v<<7 | uint64(sz[i]&0x7f)
			if sz[i] < 0x80 {
				break
			}
		}
		if i == len(sz) || i == 5 {
			return noTokens // cut short, or beyond 32 bits
		}
		sz = sz[i+1:]
		total += v
	}
	if total > 1<<31-1 { // xColumnSize's int
		return noTokens
	}
	return uint32(total)
}

// tokensOf returns the length in tokens of article id, as
// search_fts_docsize holds it; ok is false when the cache does not hold
// it. c.mu is held for reading.
func (c *docCache) tokensOf(id int64) (n int32, ok bool) {
	if id <= 0 || id >= int64(len(c.tokens)) || c.docs[id].lang == 0 || c.tokens[id] == noTokens {
		return 0, false
	}
	return int32(c.tokens[id]), true
}

// get returns an article's attributes; ok is false for an ID not indexed
// when the cache was last refreshed. c.mu is held for reading.
func (c *docCache) get(id int64) (a docAttrs, ok bool) {
	if id <= 0 || id >= int64(len(c.docs)) {
		return docAttrs{}, false
	}
	a = c.docs[id]
	return a, a.lang != 0
}

// lang returns the language code of a.
func (c *docCache) lang(a docAttrs) string { return c.langs[a.lang-1] }

// sink is what the SQL functions of one statement report to: exactly one
// of load, or keep and take, is used.
type sink struct {
	load *docCache
	// keep tests a match against the filters (nil: every match passes).
	keep func(id int64) bool
	// take receives each row of the statement's window.
	take func(id int64, score float64)
	// cache holds the lengths that search_bm25 reads; ranked counts the
	// rows it ranked.
	cache  *docCache
	ranked int
	// counted is set when search_bm25 counted the rows that match the
	// query, hits of them, in the whole table: it counts them for the IDF
	// of each phrase, and a query of one phrase matches what it does.
	counted bool
	hits    int
	// missed is set when the index holds an article the cache did not
	// know when the statement began (indexed meanwhile).
	missed bool
	// err is the first error of load.
	err error
}

// sinks hands statements' sinks to the SQL functions by a number, the
// functions' first argument: functions are registered once per process,
// for every connection.
var sinks = sinkTable{m: map[int64]*sink{}}

type sinkTable struct {
	sync.Mutex
	next int64
	m    map[int64]*sink
}

func (t *sinkTable) add(s *sink) int64 {
	t.Lock()
	defer t.Unlock()
	t.next++
	t.m[t.next] = s
	return t.next
}

func (t *sinkTable) remove(h int64) {
	t.Lock()
	delete(t.m, h)
	t.Unlock()
}

func (t *sinkTable) get(arg driver.Value) (*sink, error) {
	h, _ := arg.(int64)
	t.Lock()
	s := t.m[h]
	t.Unlock()
	if s == nil {
		return nil, fmt.Errorf("search: no statement %d", h)
	}
	return s, nil
}

func init() {
	// search_load(h, article_id, outlet_id, lang, published_unix, sz)
	// fills a cache; sz is the article's row of search_fts_docsize.
	sqlite.MustRegisterScalarFunction("search_load", 6, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		s, err := sinks.get(args[0])
		if err != nil {
			return nil, err
		}
		id, _ := args[1].(int64)
		outlet, _ := args[2].(int64)
		lang, _ := args[3].(string)
		unix, _ := args[4].(int64)
		sz, _ := args[5].([]byte)
		if err := s.load.set(id, outlet, lang, unix, sz); err != nil {
			if s.err == nil {
				s.err = err
			}
			return nil, err
		}
		return int64(1), nil
	})
	// search_keep(h, rowid) is true when the article passes the filters.
	sqlite.MustRegisterScalarFunction("search_keep", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		s, err := sinks.get(args[0])
		if err != nil {
			return nil, err
		}
		id, _ := args[1].(int64)
		if s.keep(id) {
			return int64(1), nil
		}
		return int64(0), nil
	})
	// search_take(h, rowid, score) receives a row of the window.
	sqlite.MustRegisterScalarFunction("search_take", 3, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		s, err := sinks.get(args[0])
		if err != nil {
			return nil, err
		}
		id, _ := args[1].(int64)
		var score float64
		switch v := args[2].(type) {
		case float64:
			score = v
		case int64:
			score = float64(v)
		}
		s.take(id, score)
		return int64(1), nil
	})
}
