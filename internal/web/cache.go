package web

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// pageCache keeps rendered public pages until the content changes.
//
// Every write to a table the site shows bumps the single row of
// site_version (triggers in migration 00006), whichever instance or
// command made it. The cache reads that row — one primary-key lookup — at
// most once per checkEvery (Options.ContentCheckEvery, 250 ms by default)
// and drops its pages when the version moved. So a write made by another
// instance or command shows on this one within checkEvery of its commit;
// a write made through this server (any request other than GET, HEAD or
// OPTIONS: a studio publish, an import through the API, a registration)
// shows at once, because such a request makes the next one read the row.
// Reading the row on every request was the largest cost of serving a
// cached page on SQLite (see docs/benchmarks.md).
// On PostgreSQL every bump is also notified (migration 00021) and a
// listener calls Server.ContentChanged, which works like a write through
// this server: a publish anywhere shows everywhere within the
// notification's round trip, and checkEvery is only the fallback for a
// notification lost while the listening connection was down.
// Content that goes live on its own (a scheduled publish, an event that
// starts) is handled by expiring the cache at the site's next such moment.
type pageCache struct {
	db         *store.DB
	nextChange func(context.Context) (time.Time, error)
	max        int
	now        func() time.Time
	checkEvery time.Duration // <= 0: read site_version on every request

	// last is the newest content state read from the database and when
	// (on the monotonic clock: the site clock, now, may stand still in
	// tests). It is only used while epoch, which recheck bumps, is the
	// one it was read in.
	last  atomic.Pointer[checked]
	epoch atomic.Int64

	mu       sync.RWMutex
	version  int64
	modified time.Time // Last-Modified of every page in the cache
	expires  time.Time // zero: until the next write
	pages    map[string]*rendered
}

// contentState is what a request learns from site_version.
type contentState struct {
	version  int64
	modified time.Time
}

// checked is a contentState, when its read started and in which epoch.
type checked struct {
	state contentState
	at    time.Time
	epoch int64
}

func newPageCache(db *store.DB, next func(context.Context) (time.Time, error), max int, now func() time.Time,
	checkEvery time.Duration) *pageCache {
	return &pageCache{db: db, nextChange: next, max: max, now: now, checkEvery: checkEvery, pages: map[string]*rendered{}}
}

// current returns the content state, from the database when the last read
// started more than checkEvery ago or a write may have happened since.
func (c *pageCache) current(ctx context.Context) (contentState, error) {
	epoch := c.epoch.Load()
	last := c.last.Load()
	if last != nil && last.epoch == epoch && c.checkEvery > 0 && time.Since(last.at) < c.checkEvery {
		return last.state, nil
	}
	// The read counts from its start: a commit after that may be missed,
	// and is then seen by a read that starts within checkEvery of it.
	start := time.Now()
	var st contentState
	if err := c.db.QueryRowContext(ctx, `SELECT version, changed_at FROM site_version WHERE id = 1`).
		Scan(&st.version, &st.modified); err != nil {
		return st, fmt.Errorf("content version: %w", err)
	}
	st.modified = st.modified.UTC().Truncate(time.Second)
	next := &checked{state: st, at: start, epoch: epoch}
	for {
		old := c.last.Load()
		// Keep the state when a write went through this server during
		// the read (what was read may predate it), or when a concurrent
		// read found a newer version (the cache would miss until the
		// next read).
		if c.epoch.Load() != epoch || old != nil && old.epoch == epoch && old.state.version > st.version {
			break
		}
		if c.last.CompareAndSwap(old, next) {
			break
		}
	}
	return st, nil
}

// recheck makes the next request read site_version, after a request that
// may have written content.
func (c *pageCache) recheck() { c.epoch.Add(1) }

// sync learns the content version and empties the cache when it is stale.
// Call it before reading content, so that a page rendered afterwards is at
// least as new as the version it is stored under.
func (c *pageCache) sync(ctx context.Context) (contentState, error) {
	st, err := c.current(ctx)
	if err != nil {
		return st, err
	}
	now := c.now()
	c.mu.RLock()
	fresh := st.version == c.version && (c.expires.IsZero() || now.Before(c.expires))
	modified := c.modified
	c.mu.RUnlock()
	if fresh {
		st.modified = modified
		return st, nil
	}
	next, err := c.nextChange(ctx)
	if err != nil {
		return st, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st.version < c.version {
		// A concurrent request already moved on to a newer version; this
		// request serves what it read without touching the cache.
		return st, nil
	}
	// A page that went live by the clock changed at that moment, not at
	// the last write: Last-Modified must move forward too.
	if !c.expires.IsZero() && !now.Before(c.expires) && c.expires.After(st.modified) && st.version == c.version {
		st.modified = c.expires.Truncate(time.Second)
	}
	c.version, c.modified, c.expires = st.version, st.modified, next
	clear(c.pages)
	return st, nil
}

// get returns the page cached under key for version, or nil.
func (c *pageCache) get(key string, version int64) *rendered {
	if c.max < 0 {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.version != version {
		return nil
	}
	return c.pages[key]
}

// put stores a page rendered from content at version, unless the cache has
// since moved to another version.
func (c *pageCache) put(key string, version int64, p *rendered) {
	if c.max < 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return
	}
	if len(c.pages) >= c.max {
		// Evict an arbitrary page: the cache holds a site's worth of pages
		// and is emptied on every publish, so recency tracking buys little.
		for k := range c.pages {
			delete(c.pages, k)
			break
		}
	}
	c.pages[key] = p
}
