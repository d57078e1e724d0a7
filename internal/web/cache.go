package web

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/pressreview/pressreview/internal/store"
)

// pageCache keeps rendered public pages until the content changes.
//
// Every write to a table the site shows bumps the single row of
// site_version (triggers in migration 00006), whichever instance or
// command made it. Each request reads that row — one primary-key lookup —
// and drops the cache when the version moved, so several instances on one
// database never serve a page older than the last publish they can see.
// Content that goes live on its own (a scheduled publish, an event that
// starts) is handled by expiring the cache at the site's next such moment.
type pageCache struct {
	db         *store.DB
	nextChange func(context.Context) (time.Time, error)
	max        int
	now        func() time.Time

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

func newPageCache(db *store.DB, next func(context.Context) (time.Time, error), max int, now func() time.Time) *pageCache {
	return &pageCache{db: db, nextChange: next, max: max, now: now, pages: map[string]*rendered{}}
}

// sync reads the content version and empties the cache when it is stale.
// Call it before reading content, so that a page rendered afterwards is at
// least as new as the version it is stored under.
func (c *pageCache) sync(ctx context.Context) (contentState, error) {
	var st contentState
	if err := c.db.QueryRowContext(ctx, `SELECT version, changed_at FROM site_version WHERE id = 1`).
		Scan(&st.version, &st.modified); err != nil {
		return st, fmt.Errorf("content version: %w", err)
	}
	st.modified = st.modified.UTC().Truncate(time.Second)
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
