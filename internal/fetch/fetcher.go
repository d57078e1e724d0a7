package fetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Fetcher is a polite HTTP client for feeds and article pages. It is safe
// for concurrent use; share one per process so politeness is per host
// across all workers.
type Fetcher struct {
	cfg    Config
	guard  guard
	client *http.Client
	hosts  *hostTable
	robots robotsCache
}

// New returns a Fetcher; zero fields of cfg take their defaults.
func New(cfg Config) *Fetcher {
	cfg = cfg.withDefaults()
	g := guard{allow: cfg.Allow}
	// HTTP/1.1 only (an empty TLSNextProto turns HTTP/2 off), so that the
	// request and response headers we archive are the ones that crossed
	// the wire. No proxy from the environment: a proxy resolves names
	// itself, out of reach of the address check.
	var transport http.RoundTripper = &http.Transport{
		DialContext:         g.dialContext(cfg.Timeout),
		TLSHandshakeTimeout: cfg.Timeout,
		MaxIdleConnsPerHost: cfg.HostConcurrency,
		// A desk polling thousands of hosts comes back to most of them
		// minutes later: keeping a connection open to each would hold
		// two goroutines and their buffers per host for nothing.
		MaxIdleConns:       maxIdleConns,
		IdleConnTimeout:    90 * time.Second,
		DisableCompression: true, // we ask for gzip ourselves, to cap and archive it
		TLSNextProto:       map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	if cfg.Transport != nil {
		transport = cfg.Transport(transport)
	}
	return &Fetcher{
		cfg:   cfg,
		guard: g,
		client: &http.Client{
			Transport: transport,
			// Redirects are followed by follow, so each hop gets the robots
			// check, the host's politeness and loop detection.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		hosts:  newHostTable(cfg),
		robots: robotsCache{entries: make(map[string]*robotsEntry)},
	}
}

// maxIdleConns bounds the idle connections kept across all hosts, the
// least recently used closed first.
const maxIdleConns = 64

// Fetch GETs req.URL, following redirects, after checking robots.txt and
// waiting for the host's turn. It does not retry: the job queue decides
// when to try again, from Classify(err) and Error.RetryAfter.
//
// Outcomes: a 2xx response and nil error; a 304 as Response.NotModified and
// nil error; an HTTP error status as the Response and an *Error; a failure
// before any response as nil and an *Error.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	return f.follow(ctx, req, false)
}

// HostDelay reports the delay between requests now in force for a host
// ("example.com", or "example.com:8080" for a non-default port), so the
// source-health screen can show who is slowing us down.
func (f *Fetcher) HostDelay(host string) time.Duration {
	return f.hosts.get(host).currentDelay()
}

// follow runs the redirect chain of one fetch. A robots.txt fetch skips the
// robots check (it is the check) and truncates the file instead of failing
// when it is too large.
func (f *Fetcher) follow(ctx context.Context, req Request, robotsFetch bool) (*Response, error) {
	u, err := parseTarget(req.URL)
	if err != nil {
		return nil, &Error{Kind: Hard, Method: http.MethodGet, URL: req.URL, Msg: err.Error(), Err: err}
	}
	seen := map[string]bool{}
	var redirects []string
	var hops []*Response
	for {
		seen[u.String()] = true
		resp, err := f.exchange(ctx, u, req, robotsFetch, req.NoWait && len(hops) == 0)
		if err != nil {
			return nil, err
		}
		resp.URL, resp.Redirects, resp.Hops = req.URL, redirects, hops
		if !isRedirect(resp.Status) {
			return resp, outcome(resp)
		}
		next, err := nextHop(u, resp)
		if err != nil {
			return resp, err
		}
		redirects = append(redirects, u.String())
		hop := *resp
		hop.URL, hop.Redirects, hop.Hops = u.String(), nil, nil
		hops = append(hops, &hop)
		switch {
		case seen[next.String()]:
			return resp, &Error{Kind: Soft, Method: http.MethodGet, URL: req.URL, Status: resp.Status,
				Msg: "redirect loop: " + strings.Join(append(redirects, next.String()), " → "), Err: ErrRedirectLoop}
		case len(redirects) > f.cfg.MaxRedirects:
			return resp, &Error{Kind: Soft, Method: http.MethodGet, URL: req.URL, Status: resp.Status,
				Msg: fmt.Sprintf("more than %d redirects", f.cfg.MaxRedirects), Err: ErrTooManyRedirects}
		}
		u = next
	}
}

// exchange performs one request/response on u; with noWait it fails with
// ErrHostBusy instead of waiting for the host's turn (see Request.NoWait).
func (f *Fetcher) exchange(ctx context.Context, u *url.URL, req Request, robotsFetch, noWait bool) (*Response, error) {
	fail := func(kind Kind, msg string, cause error) *Error {
		return &Error{Kind: kind, Method: http.MethodGet, URL: u.String(), Msg: msg, Err: cause}
	}
	if err := f.guard.checkHost(u.Hostname()); err != nil {
		return nil, fail(Hard, err.Error(), err)
	}
	if !robotsFetch {
		if err := f.allowed(ctx, u); err != nil {
			if errors.Is(err, ErrRobotsDisallowed) {
				return nil, fail(Hard, fmt.Sprintf("robots.txt disallows %q from fetching this URL", f.cfg.robotsAgent()), err)
			}
			kind, msg := classifyCause(err)
			var fe *Error
			if errors.As(err, &fe) {
				kind, msg = fe.Kind, fe.Msg
			}
			if errors.Is(err, ErrForbiddenAddress) {
				return nil, fail(Hard, msg, err) // the host, not its robots.txt, is the problem
			}
			if kind != Hard {
				kind = Temporary // RFC 9309: unreachable robots.txt means "not now"
			}
			return nil, fail(kind, "robots.txt unavailable: "+msg, err)
		}
	}

	h := f.hosts.get(hostKey(u))
	release, wait, err := h.acquire(ctx, noWait)
	if err != nil {
		e := fail(Temporary, "waiting for the host's turn: "+err.Error(), err)
		switch {
		case errors.Is(err, ErrHostPaused):
			e.Msg = fmt.Sprintf("host %s asked us to slow down; next request allowed in %s", h.name, wait.Round(time.Second))
			e.RetryAfter = wait
		case errors.Is(err, ErrHostBusy):
			e.Msg = fmt.Sprintf("host %s busy; its turn comes in %s", h.name, wait)
			e.RetryAfter = wait
		}
		return nil, e
	}
	defer release()

	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	resp, err := f.roundTrip(ctx, u, req, robotsFetch)
	if err != nil {
		kind, msg := classifyCause(err)
		if isTimeout(err) {
			msg = fmt.Sprintf("no complete answer within %s", f.cfg.Timeout)
		}
		return nil, fail(kind, msg, err)
	}
	switch {
	case resp.Status == http.StatusTooManyRequests || resp.Status == http.StatusServiceUnavailable:
		h.slowDown(resp.RetryAfter)
	case resp.Status < 400:
		h.speedUp()
	}
	return resp, nil
}

// outcome turns a final (non-redirect) HTTP status into the outcome of
// Fetch, and completes successful responses.
func outcome(resp *Response) error {
	switch {
	case resp.Status == http.StatusNotModified:
		resp.NotModified = true
		return nil
	case resp.Status >= 200 && resp.Status < 300:
		sum := sha256.Sum256(resp.Body)
		resp.SHA256, resp.RawSHA256 = hex.EncodeToString(sum[:]), hex.EncodeToString(sum[:])
		if !bytes.Equal(resp.RawBody, resp.Body) { // content-encoded: small, hashed apart
			raw := sha256.Sum256(resp.RawBody)
			resp.RawSHA256 = hex.EncodeToString(raw[:])
		}
		if isTextual(resp.ContentType, resp.Body) {
			d := DecodeText(resp.Body, resp.ContentType)
			resp.Text, resp.Charset, resp.CharsetSource = d.Text, d.Charset, d.Source
		}
		return nil
	}
	e := &Error{Kind: statusKind(resp.Status), Method: http.MethodGet, URL: resp.FinalURL,
		Status: resp.Status, RetryAfter: resp.RetryAfter, Msg: "server answered " + statusText(resp.Status)}
	if resp.RetryAfter > 0 {
		e.Msg += fmt.Sprintf(" (retry after %s)", resp.RetryAfter)
	}
	return e
}

func statusText(code int) string {
	if text := http.StatusText(code); text != "" {
		return fmt.Sprintf("%d %s", code, text)
	}
	return fmt.Sprint(code)
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// nextHop resolves a redirect's Location against the URL that sent it.
func nextHop(from *url.URL, resp *Response) (*url.URL, error) {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil, &Error{Kind: Soft, Method: http.MethodGet, URL: from.String(), Status: resp.Status,
			Msg: "server answered " + statusText(resp.Status) + " without a Location"}
	}
	next, err := from.Parse(loc)
	if err == nil {
		next.Fragment, next.RawFragment = "", ""
		err = checkTarget(next)
	}
	if err != nil {
		return nil, &Error{Kind: Hard, Method: http.MethodGet, URL: from.String(), Status: resp.Status,
			Msg: fmt.Sprintf("redirect to unusable Location %q: %v", loc, err), Err: err}
	}
	return next, nil
}

// parseTarget parses a URL we are asked to fetch.
func parseTarget(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	u.Fragment, u.RawFragment = "", ""
	return u, checkTarget(u)
}

func checkTarget(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q is not http or https", ErrInvalidURL, u.Scheme)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%w: no host", ErrInvalidURL)
	}
	return nil
}

// HostKey is the host whose politeness rules a request to rawURL: the
// lower-case host, with the port when it is not the scheme's default
// ("example.com", "example.com:8080"); "" when rawURL cannot be fetched.
// Schedulers group pages by it to spread requests over hosts.
func HostKey(rawURL string) string {
	u, err := parseTarget(rawURL)
	if err != nil {
		return ""
	}
	return hostKey(u)
}

// hostKey is the politeness key: lower-case host, port only when not the
// scheme's default.
func hostKey(u *url.URL) string {
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if port == "" || (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		return host
	}
	return net.JoinHostPort(host, port)
}
