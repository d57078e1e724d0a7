package ingest

import (
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
)

// backoffUnit is the delay one unit of failure weight adds. With the
// weights below, a feed answering 404 is retried after 1 h, 2 h, 3 h … and
// a feed that times out after 15 min, 30 min …, both up to MaxBackoff.
const backoffUnit = 15 * time.Minute

// failureWeight weighs a failure by how likely the next try is to fail
// too (Media Cloud's scheme): a timeout passes by itself, a 500 may, a 404
// or a malformed feed needs a human.
func failureWeight(k fetch.Kind) int {
	switch k {
	case fetch.Temporary:
		return 1
	case fetch.Hard:
		return 4
	default:
		return 2
	}
}

// failureDelay is the linear back-off after failures of total weight w,
// stretched to the server's Retry-After and capped: the feed is always
// checked again within maxDelay, so it is never silently given up.
func failureDelay(w int, retryAfter, maxDelay time.Duration) time.Duration {
	d := time.Duration(w) * backoffUnit
	d = max(d, retryAfter)
	return min(d, maxDelay)
}

// adaptiveInterval spaces checks by how often the feed publishes: about
// one check per new item, from the number of items of the past week.
func adaptiveInterval(perWeek int, lo, hi time.Duration) time.Duration {
	if perWeek <= 0 {
		return hi
	}
	d := 7 * 24 * time.Hour / time.Duration(perWeek)
	return min(max(d, lo), hi)
}

// cacheHints is how long the server and the feed ask us to wait before
// asking again: Cache-Control max-age, Expires, Retry-After and RSS ttl;
// zero when they say nothing.
type cacheHints struct {
	maxAge, ttl, retryAfter time.Duration
	expires                 time.Time
}

func hintsFrom(resp *fetch.Response) cacheHints {
	if resp == nil {
		return cacheHints{}
	}
	return cacheHints{maxAge: max(resp.MaxAge, 0), retryAfter: resp.RetryAfter, expires: resp.Expires}
}

// nextInterval combines the adaptive interval with the hints. Caching
// hints are skipped when the feed is marked to ignore HTTP caching;
// Retry-After is politeness, not caching, and always counts. The result
// never exceeds maxDelay.
func nextInterval(adaptive time.Duration, h cacheHints, ignoreCache bool, now time.Time, maxDelay time.Duration) time.Duration {
	d := max(adaptive, h.retryAfter)
	if !ignoreCache {
		d = max(d, h.maxAge, h.ttl)
		if !h.expires.IsZero() {
			d = max(d, h.expires.Sub(now))
		}
	}
	return min(d, maxDelay)
}
