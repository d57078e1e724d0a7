package fetch

import (
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// Config tunes a Fetcher. Start from DefaultConfig; New also fills zero
// fields from it, except HostDelay, where zero means no minimum delay.
type Config struct {
	// UserAgent is sent with every request. Its product token (the text
	// before the first '/' or space, e.g. "pressreview" in
	// "pressreview/1.0 (+https://example.org/bot)") selects the robots.txt
	// group that applies to us.
	UserAgent string
	// Timeout bounds one request: connecting, headers and reading the body.
	// Waiting for the host's turn (politeness) is not counted.
	Timeout time.Duration
	// MaxBodyBytes caps the body after decompression, so a gzip bomb is an
	// ErrTooLarge error instead of an out-of-memory crash. The compressed
	// bytes on the wire are capped at the same size.
	MaxBodyBytes int64
	// MaxRedirects is the number of redirect hops followed before
	// ErrTooManyRedirects.
	MaxRedirects int
	// HostConcurrency bounds requests in flight to one host (host:port).
	HostConcurrency int
	// HostDelay is the minimum time between the starts of two requests to
	// the same host. A robots.txt Crawl-delay raises it for that host.
	HostDelay time.Duration
	// MaxHostDelay caps the per-host delay, which doubles after each 429 or
	// 503. A Retry-After pause longer than this is not waited out: Fetch
	// returns ErrHostPaused (Temporary) with RetryAfter set instead of
	// blocking a worker.
	MaxHostDelay time.Duration
	// RobotsTTL is how long a host's robots.txt is cached. RFC 9309 asks
	// crawlers not to use a cached copy for more than 24 hours.
	RobotsTTL time.Duration
	// Allow lists the prefixes the fetcher may reach although they are not
	// public: by default it refuses loopback, private, link-local,
	// unique-local and other special-purpose addresses, checked after DNS
	// resolution on every hop (see ErrForbiddenAddress). A desk that
	// watches an intranet, or a test or demo on loopback, lists them here.
	Allow []netip.Prefix
	// Transport, when set, wraps the fetcher's transport; tests use it to
	// route every host to one loopback server. Requests sent through the
	// transport it is given still dial only addresses that pass Allow.
	Transport func(http.RoundTripper) http.RoundTripper
}

// DefaultConfig returns settings for a small, polite monitoring desk.
func DefaultConfig() Config {
	return Config{
		UserAgent:       "pressreview/1.0",
		Timeout:         30 * time.Second,
		MaxBodyBytes:    10 << 20,
		MaxRedirects:    10,
		HostConcurrency: 2,
		HostDelay:       time.Second,
		MaxHostDelay:    2 * time.Minute,
		RobotsTTL:       24 * time.Hour,
	}
}

// withDefaults fills zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.UserAgent == "" {
		c.UserAgent = d.UserAgent
	}
	if c.Timeout <= 0 {
		c.Timeout = d.Timeout
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = d.MaxBodyBytes
	}
	if c.MaxRedirects <= 0 {
		c.MaxRedirects = d.MaxRedirects
	}
	if c.HostConcurrency <= 0 {
		c.HostConcurrency = d.HostConcurrency
	}
	if c.HostDelay < 0 {
		c.HostDelay = 0
	}
	if c.MaxHostDelay <= 0 {
		c.MaxHostDelay = d.MaxHostDelay
	}
	if c.RobotsTTL <= 0 {
		c.RobotsTTL = d.RobotsTTL
	}
	return c
}

// robotsAgent is the product token matched against robots.txt User-agent
// lines.
func (c Config) robotsAgent() string {
	agent, _, _ := strings.Cut(c.UserAgent, "/")
	agent, _, _ = strings.Cut(agent, " ")
	return strings.ToLower(agent)
}
