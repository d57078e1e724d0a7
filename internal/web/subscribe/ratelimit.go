package subscribe

import (
	"sync"
	"time"
)

// limiter allows n events per key in a sliding window. It lives in memory:
// with several instances each enforces its own share, which is enough to
// stop one address or host from flooding the form.
type limiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	seen   map[string][]time.Time
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, seen: map[string][]time.Time{}}
}

// allow records an event for key and reports whether it is within the limit.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	cut := now.Add(-l.window)
	kept := l.seen[key][:0]
	for _, t := range l.seen[key] {
		if t.After(cut) {
			kept = append(kept, t)
		}
	}
	if len(l.seen) > 100_000 {
		l.sweep(cut) // bound memory under a flood of distinct keys
	}
	if len(kept) >= l.n {
		l.seen[key] = kept
		return false
	}
	l.seen[key] = append(kept, now)
	return true
}

func (l *limiter) sweep(cut time.Time) {
	for k, ts := range l.seen {
		if len(ts) == 0 || !ts[len(ts)-1].After(cut) {
			delete(l.seen, k)
		}
	}
}
