package store

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// stmtCacheSize bounds the statements kept prepared. Queries whose text
// varies with their arguments (IN lists of any length) would otherwise
// grow the cache without end; the least recently used is closed instead.
const stmtCacheSize = 512

// seenSize bounds the texts remembered as seen once. A query is prepared
// only when it comes a second time: a text built for one call (values
// inlined) would cost a prepare for nothing and push a useful statement
// out.
const seenSize = 4096

// stmtCache keeps SQLite statements prepared across calls. modernc's
// driver compiles the SQL again on every call made with query text
// (sqlite3_prepare is a parse and a code generation each time), while a
// *sql.Stmt keeps the compiled program on each connection it ran on.
// PostgreSQL needs none of this: pgx caches its prepared statements.
type stmtCache struct {
	db *sql.DB

	mu      sync.Mutex
	entries map[string]*list.Element // of *cachedStmt
	lru     list.List                // most recently used first
	pending map[string]bool          // prepares under way in the background
	seen    map[string]bool          // texts run once, not prepared yet

	// background is cancelled when the cache closes (under mu): it ends
	// the prepares under way, and close waits for them: one still opening a connection after the
	// pool closed would recreate the database's -wal and -shm files
	// beside a database being removed, and its statement would never be
	// closed.
	background context.Context
	stop       context.CancelFunc
	wg         sync.WaitGroup
}

type cachedStmt struct {
	query string
	stmt  *sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	ctx, stop := context.WithCancel(context.Background())
	return &stmtCache{db: db, entries: map[string]*list.Element{}, pending: map[string]bool{}, seen: map[string]bool{},
		background: ctx, stop: stop}
}

// lookup returns the statement for query, or nil when it is not prepared;
// repeat says whether the query came before and is worth preparing.
func (c *stmtCache) lookup(query string) (s *sql.Stmt, repeat bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[query]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*cachedStmt).stmt, true
	}
	if c.seen[query] {
		delete(c.seen, query)
		return nil, true
	}
	if len(c.seen) >= seenSize {
		clear(c.seen)
	}
	c.seen[query] = true
	return nil, false
}

// get returns the statement for query, preparing it when it comes a
// second time; nil for a query to run unprepared. A failed prepare also
// returns nil, so the error comes from the call itself, as without the
// cache.
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	s, repeat := c.lookup(query)
	if s != nil || !repeat {
		return s
	}
	s, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	return c.add(query, s)
}

// prepareLater prepares query in the background. A transaction uses it on
// a miss: preparing there through the pool would need a second
// connection while the transaction holds one, and with every connection
// held by a transaction that waits would never end.
func (c *stmtCache) prepareLater(query string) {
	c.mu.Lock()
	if c.pending[query] || c.background.Err() != nil {
		c.mu.Unlock()
		return
	}
	c.pending[query] = true
	c.wg.Add(1)
	c.mu.Unlock()
	go func() {
		defer c.wg.Done()
		s, err := c.db.PrepareContext(c.background, query)
		c.mu.Lock()
		delete(c.pending, query)
		c.mu.Unlock()
		if err == nil {
			c.add(query, s)
		}
	}()
}

// add caches s under query, or closes it when another caller was first
// or the cache is closed, and evicts the least recently used statement
// beyond the bound. A closed *sql.Stmt stays usable by the calls already
// running on it: database/sql finalizes it after they finish.
func (c *stmtCache) add(query string, s *sql.Stmt) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.background.Err() != nil {
		_ = s.Close()
		return s
	}
	if e, ok := c.entries[query]; ok {
		_ = s.Close()
		c.lru.MoveToFront(e)
		return e.Value.(*cachedStmt).stmt
	}
	c.entries[query] = c.lru.PushFront(&cachedStmt{query: query, stmt: s})
	for c.lru.Len() > stmtCacheSize {
		old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
		delete(c.entries, old.query)
		_ = old.stmt.Close()
	}
	return s
}

// close ends the background prepares and closes every cached statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	c.stop()
	c.mu.Unlock()
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.lru.Front(); e != nil; e = e.Next() {
		_ = e.Value.(*cachedStmt).stmt.Close()
	}
	c.entries = map[string]*list.Element{}
	c.lru.Init()
}
