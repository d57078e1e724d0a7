package fetch

import (
	"context"
	"strings"
	"sync"
	"time"
)

// hostTable keeps one politeness state per host:port. Entries are never
// evicted: a desk watches hundreds of outlets, not millions of hosts.
type hostTable struct {
	cfg   Config
	mu    sync.Mutex
	hosts map[string]*host
}

func newHostTable(cfg Config) *hostTable {
	return &hostTable{cfg: cfg, hosts: make(map[string]*host)}
}

func (t *hostTable) get(hostport string) *host {
	key := strings.ToLower(hostport)
	t.mu.Lock()
	defer t.mu.Unlock()
	h, ok := t.hosts[key]
	if !ok {
		h = &host{
			name:  key,
			slots: make(chan struct{}, t.cfg.HostConcurrency),
			base:  t.cfg.HostDelay,
			delay: t.cfg.HostDelay,
			max:   t.cfg.MaxHostDelay,
		}
		t.hosts[key] = h
	}
	return h
}

// host spaces and bounds the requests to one host. Requests reserve start
// times one delay apart, and none starts sooner than a delay after the end
// of the one before it; after a 429 or 503 the delay doubles (up to max)
// and the next start is pushed past any Retry-After; each success halves
// the delay back towards the base.
type host struct {
	name  string
	slots chan struct{} // semaphore: requests in flight

	mu    sync.Mutex
	base  time.Duration // configured delay, or robots.txt Crawl-delay
	delay time.Duration // current delay, base ≤ delay ≤ max
	max   time.Duration
	next  time.Time // earliest start of the next request
}

// busyRetry is the least wait ErrHostBusy reports, so that a caller
// retrying a host with no delay whose slots are taken does not spin.
const busyRetry = 10 * time.Millisecond

// acquire waits for a free slot and this host's next start time. It fails
// fast with ErrHostPaused when the wait would exceed max, so a worker is not
// parked for the length of a long Retry-After; with noWait it fails at once
// with ErrHostBusy when it would wait at all, and reports how long: the time
// to the next start, or, with every slot taken, at least one delay (a
// request in flight frees its slot at its end, unknown, and the next start
// then comes a delay later).
func (h *host) acquire(ctx context.Context, noWait bool) (release func(), wait time.Duration, err error) {
	if noWait {
		select {
		case h.slots <- struct{}{}:
		default:
			h.mu.Lock()
			wait = max(time.Until(h.next), h.delay, busyRetry)
			h.mu.Unlock()
			return nil, wait, ErrHostBusy
		}
	} else {
		select {
		case h.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
	}
	release = func() { <-h.slots }
	// Spacing from the end as well as from the start: a slow answer does
	// not let the next request follow it at once, and with one request in
	// flight per host the server sees its requests at least a delay apart
	// whatever the latency of each (the start of the next request comes
	// after the end of the previous one).
	done := func() {
		h.mu.Lock()
		if until := time.Now().Add(h.delay); h.delay > 0 && until.After(h.next) {
			h.next = until
		}
		h.mu.Unlock()
		<-h.slots
	}

	h.mu.Lock()
	now := time.Now()
	start := now
	if h.next.After(now) {
		start = h.next
	}
	wait = start.Sub(now)
	if noWait && wait > 0 {
		h.mu.Unlock()
		release()
		return nil, max(wait, busyRetry), ErrHostBusy
	}
	if wait > h.max {
		h.mu.Unlock()
		release()
		return nil, wait, ErrHostPaused
	}
	h.next = start.Add(h.delay)
	h.mu.Unlock()

	if wait > 0 {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			release()
			return nil, 0, ctx.Err()
		}
	}
	return done, 0, nil
}

// slowDown records a 429 or 503: the delay doubles (at least to one second,
// so a zero base still backs off) and the next request waits for the later
// of the new delay and retryAfter.
func (h *host) slowDown(retryAfter time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.delay = min(max(2*h.delay, time.Second), h.max)
	pause := max(h.delay, retryAfter)
	if until := time.Now().Add(pause); until.After(h.next) {
		h.next = until
	}
}

// speedUp records a successful answer: the delay halves back towards base.
func (h *host) speedUp() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.delay > h.base {
		h.delay = max(h.delay/2, h.base)
	}
}

// setCrawlDelay raises the base delay to a robots.txt Crawl-delay (capped
// at max); it never lowers the configured delay.
func (h *host) setCrawlDelay(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	d = min(d, h.max)
	if d > h.base {
		h.base = d
	}
	if h.delay < h.base {
		h.delay = h.base
	}
}

// currentDelay reports the delay now in force.
func (h *host) currentDelay() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.delay
}
