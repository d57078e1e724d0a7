package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const feedXML = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test</title></channel></rss>`

// testFetcher has short limits so failure tests are fast; no test asserts
// on elapsed time.
func testFetcher(t *testing.T, mod func(*Config)) *Fetcher {
	t.Helper()
	cfg := DefaultConfig()
	cfg.UserAgent = "pressreview-test/1.0"
	cfg.Timeout = 300 * time.Millisecond
	cfg.MaxBodyBytes = 64 << 10
	cfg.MaxRedirects = 5
	cfg.HostDelay = 0
	cfg.MaxHostDelay = 200 * time.Millisecond
	cfg.Allow = loopback
	if mod != nil {
		mod(&cfg)
	}
	return New(cfg)
}

// serve starts a 127.0.0.1 server; /robots.txt is 404 (no restrictions)
// unless the handler serves it.
func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func fetchErr(t *testing.T, f *Fetcher, url string) (*Response, *Error) {
	t.Helper()
	resp, err := f.Fetch(context.Background(), Request{URL: url})
	if err == nil {
		t.Fatalf("Fetch(%s): want error, got status %d", url, resp.Status)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("Fetch(%s): error %T %v is not *Error", url, err, err)
	}
	t.Logf("recorded error: %v (kind %s)", err, Classify(err))
	return resp, fe
}

func TestFetchOK(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Header().Set("Expires", "Mon, 02 Jan 2006 16:04:05 GMT")
		fmt.Fprint(w, feedXML)
	})
	resp, err := testFetcher(t, nil).Fetch(context.Background(), Request{URL: srv.URL + "/feed#frag"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || string(resp.Text) != feedXML || resp.Charset != "utf-8" || resp.CharsetSource != SourceHTTP {
		t.Errorf("status %d charset %s/%s text %q", resp.Status, resp.Charset, resp.CharsetSource, resp.Text)
	}
	if resp.ETag != `"v1"` || resp.LastModified != "Mon, 02 Jan 2006 15:04:05 GMT" || resp.MaxAge != 300*time.Second {
		t.Errorf("validators: etag %q lm %q max-age %v", resp.ETag, resp.LastModified, resp.MaxAge)
	}
	if resp.Expires.IsZero() || resp.FinalURL != srv.URL+"/feed" || resp.RemoteIP != "127.0.0.1" {
		t.Errorf("expires %v final %q ip %q", resp.Expires, resp.FinalURL, resp.RemoteIP)
	}
	if len(resp.SHA256) != 64 {
		t.Errorf("sha256 %q", resp.SHA256)
	}
	if !bytes.HasPrefix(resp.RawRequest, []byte("GET /feed HTTP/1.1\r\nHost: ")) ||
		!bytes.Contains(resp.RawRequest, []byte("User-Agent: pressreview-test/1.0\r\n")) {
		t.Errorf("raw request %q", resp.RawRequest)
	}
	if !bytes.HasPrefix(resp.RawHeader, []byte("HTTP/1.1 200 OK\r\n")) || !bytes.HasSuffix(resp.RawHeader, []byte("\r\n\r\n")) ||
		string(resp.RawBody) != feedXML {
		t.Errorf("raw header %q body %q", resp.RawHeader, resp.RawBody)
	}
}

func TestConditionalGet(t *testing.T) {
	const lm = "Mon, 02 Jan 2006 15:04:05 GMT"
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` || r.Header.Get("If-Modified-Since") == lm {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", lm)
		fmt.Fprint(w, feedXML)
	})
	f := testFetcher(t, nil)
	for _, req := range []Request{{URL: srv.URL + "/a", ETag: `"v1"`}, {URL: srv.URL + "/b", LastModified: lm}} {
		resp, err := f.Fetch(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if !resp.NotModified || resp.Status != 304 || len(resp.Body) != 0 {
			t.Errorf("%+v: want NotModified, got %d %v", req, resp.Status, resp.NotModified)
		}
	}
}

func TestStatusErrors(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/404":
			http.NotFound(w, r)
		case "/410":
			w.WriteHeader(http.StatusGone)
		case "/500":
			w.WriteHeader(http.StatusInternalServerError)
		case "/503":
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	for _, tc := range []struct {
		path string
		kind Kind
		msg  string
	}{
		{"/404", Hard, "server answered 404 Not Found"},
		{"/410", Hard, "server answered 410 Gone"},
		{"/500", Soft, "server answered 500 Internal Server Error"},
		{"/503", Temporary, "server answered 503 Service Unavailable"},
	} {
		resp, fe := fetchErr(t, testFetcher(t, nil), srv.URL+tc.path)
		want := "GET " + srv.URL + tc.path + ": " + tc.msg
		if fe.Kind != tc.kind || fe.Error() != want || resp == nil || resp.Status != fe.Status {
			t.Errorf("%s: got %q kind %s, want %q kind %s", tc.path, fe.Error(), fe.Kind, want, tc.kind)
		}
	}
}

func TestTimeout(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		<-r.Context().Done() // hang until the client gives up
	})
	_, fe := fetchErr(t, testFetcher(t, nil), srv.URL+"/slow")
	if fe.Kind != Temporary || !strings.Contains(fe.Msg, "no complete answer within 300ms") {
		t.Errorf("got %v (%s)", fe, fe.Kind)
	}
}

func TestTimeoutDuringBody(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("<rss>"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	_, fe := fetchErr(t, testFetcher(t, nil), srv.URL+"/stall")
	if fe.Kind != Temporary {
		t.Errorf("got %v (%s)", fe, fe.Kind)
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, fe := fetchErr(t, testFetcher(t, nil), "http://"+addr+"/feed")
	if fe.Kind != Temporary {
		t.Errorf("got %v (%s)", fe, fe.Kind)
	}
}

func TestInvalidURLAndUnknownHost(t *testing.T) {
	f := testFetcher(t, nil)
	for _, u := range []string{"ftp://example.com/feed", "http:///nohost", "http://[::1"} {
		_, fe := fetchErr(t, f, u)
		if fe.Kind != Hard || !errors.Is(fe, ErrInvalidURL) {
			t.Errorf("%s: got %v (%s)", u, fe, fe.Kind)
		}
	}
	// No test may resolve real names, so the transport fails as a resolver
	// answering NXDOMAIN would.
	nx := testFetcher(t, func(c *Config) {
		c.Transport = func(http.RoundTripper) http.RoundTripper {
			return &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "gone.invalid", IsNotFound: true}}
			}}
		}
	})
	_, fe := fetchErr(t, nx, "http://gone.invalid/feed")
	if fe.Kind != Hard || !strings.Contains(fe.Msg, "host not found") {
		t.Errorf("got %v (%s)", fe, fe.Kind)
	}
}

func TestTooManyRequestsSlowsDown(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	f := testFetcher(t, nil)
	_, fe := fetchErr(t, f, srv.URL+"/feed")
	if fe.Kind != Temporary || fe.Status != 429 || fe.RetryAfter != 120*time.Second {
		t.Errorf("first: %v kind %s retry %v", fe, fe.Kind, fe.RetryAfter)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if d := f.HostDelay(host); d != 200*time.Millisecond {
		t.Errorf("host delay after 429 = %v, want the 200ms cap", d)
	}
	// The host asked for two minutes: the next fetch is refused locally.
	_, fe = fetchErr(t, f, srv.URL+"/other")
	if fe.Kind != Temporary || !errors.Is(fe, ErrHostPaused) || fe.RetryAfter <= 100*time.Second {
		t.Errorf("second: %v kind %s retry %v", fe, fe.Kind, fe.RetryAfter)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestBackoffDoublesAndRecovers(t *testing.T) {
	h := newHostTable(Config{HostConcurrency: 1, HostDelay: 10 * time.Millisecond, MaxHostDelay: time.Hour}).get("example.com")
	h.slowDown(0)
	if d := h.currentDelay(); d != time.Second {
		t.Errorf("after first 503: %v", d)
	}
	h.slowDown(0)
	if d := h.currentDelay(); d != 2*time.Second {
		t.Errorf("after second 503: %v", d)
	}
	h.speedUp()
	if d := h.currentDelay(); d != time.Second {
		t.Errorf("after success: %v", d)
	}
	for range 10 {
		h.speedUp()
	}
	if d := h.currentDelay(); d != 10*time.Millisecond {
		t.Errorf("recovered to %v, want the base", d)
	}
}

func TestHostConcurrencyBound(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond) // let requests overlap if the bound fails
		fmt.Fprint(w, "ok")
	})
	f := testFetcher(t, func(c *Config) { c.HostConcurrency = 2; c.Timeout = 5 * time.Second })
	done := make(chan error)
	for i := range 8 {
		go func() {
			_, err := f.Fetch(context.Background(), Request{URL: fmt.Sprintf("%s/p%d", srv.URL, i)})
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	if p := peak.Load(); p > 2 {
		t.Errorf("peak concurrency %d, want ≤ 2", p)
	}
}

// TestNoWait: a request with NoWait to a host whose delay has not passed,
// or whose one slot is taken, is not sent and says when the turn comes;
// asked again then, it is sent.
func TestNoWait(t *testing.T) {
	var hits atomic.Int32
	release := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		if r.URL.Path == "/slow" {
			<-release
		}
		fmt.Fprint(w, "ok")
	})
	const delay = 300 * time.Millisecond
	f := testFetcher(t, func(c *Config) {
		c.HostConcurrency = 1
		c.HostDelay = delay
		c.MaxHostDelay = time.Second
		c.Timeout = 5 * time.Second
	})
	ctx := context.Background()
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/a"}); err != nil {
		t.Fatal(err)
	}
	_, err := f.Fetch(ctx, Request{URL: srv.URL + "/b", NoWait: true})
	var fe *Error
	if !errors.As(err, &fe) || !errors.Is(err, ErrHostBusy) || Classify(err) != Temporary {
		t.Fatalf("NoWait right after a request: %v, want a Temporary ErrHostBusy", err)
	}
	if fe.RetryAfter <= 0 || fe.RetryAfter > delay {
		t.Errorf("RetryAfter %s, want in (0, %s]", fe.RetryAfter, delay)
	}
	t.Logf("recorded error: %v", err)
	if hits.Load() != 1 {
		t.Fatalf("%d requests reached the server, want 1 (the busy one must not be sent)", hits.Load())
	}
	time.Sleep(fe.RetryAfter)
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/b", NoWait: true}); err != nil {
		t.Fatalf("NoWait after RetryAfter: %v", err)
	}

	// A request in flight: the slot is taken, whatever the delay.
	time.Sleep(delay)
	slow := make(chan error, 1)
	go func() {
		_, err := f.Fetch(ctx, Request{URL: srv.URL + "/slow"})
		slow <- err
	}()
	for hits.Load() < 3 {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(delay) // past the delay since the slow request started
	_, err = f.Fetch(ctx, Request{URL: srv.URL + "/c", NoWait: true})
	if !errors.As(err, &fe) || !errors.Is(err, ErrHostBusy) || fe.RetryAfter < delay {
		t.Errorf("NoWait with a request in flight: %v, want ErrHostBusy with RetryAfter ≥ %s", err, delay)
	}
	close(release)
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
}

func TestOversizedBody(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 100<<10))
	})
	_, fe := fetchErr(t, testFetcher(t, nil), srv.URL+"/big")
	if fe.Kind != Soft || !errors.Is(fe, ErrTooLarge) {
		t.Errorf("got %v (%s)", fe, fe.Kind)
	}
}

// gzipBomb is 1 GiB of zeros as 1024 concatenated gzip members of 1 MiB
// each (about 1 MB on the wire), built without compressing a gigabyte.
func gzipBomb(t *testing.T) []byte {
	t.Helper()
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(member.Bytes(), 1024)
}

func TestGzipBomb(t *testing.T) {
	bomb := gzipBomb(t)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	_, fe := fetchErr(t, testFetcher(t, func(c *Config) { c.MaxBodyBytes = 4 << 20; c.Timeout = 10 * time.Second }), srv.URL+"/bomb")
	if fe.Kind != Soft || !errors.Is(fe, ErrTooLarge) || !strings.Contains(fe.Msg, "once decompressed") {
		t.Errorf("got %v (%s)", fe, fe.Kind)
	}
}

func TestGzipAndDeflate(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(feedXML))
	zw.Close()
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gz":
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				t.Error("no Accept-Encoding: gzip")
			}
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes())
		case "/corrupt":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes()[:len(gz.Bytes())/2])
		case "/zlib", "/raw-deflate":
			var buf bytes.Buffer
			var zw io.WriteCloser
			if r.URL.Path == "/zlib" {
				zw = zlib.NewWriter(&buf)
			} else {
				zw, _ = flate.NewWriter(&buf, flate.DefaultCompression)
			}
			zw.Write([]byte(feedXML))
			zw.Close()
			w.Header().Set("Content-Encoding", "deflate")
			w.Write(buf.Bytes())
		}
	})
	f := testFetcher(t, nil)
	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/gz"})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != feedXML || !bytes.Equal(resp.RawBody, gz.Bytes()) {
		t.Errorf("body %q / raw %d bytes", resp.Body, len(resp.RawBody))
	}
	for _, path := range []string{"/zlib", "/raw-deflate"} {
		resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
		if err != nil || string(resp.Body) != feedXML {
			t.Errorf("%s: %v %q", path, err, resp.Body)
		}
	}
	_, fe := fetchErr(t, f, srv.URL+"/corrupt")
	if fe.Kind != Hard || !errors.Is(fe, ErrMalformed) {
		t.Errorf("corrupt gzip: %v (%s)", fe, fe.Kind)
	}
}

func TestRedirects(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		case "/new":
			fmt.Fprint(w, "here")
		case "/a":
			http.Redirect(w, r, "/b", http.StatusFound)
		case "/b":
			http.Redirect(w, r, "/a", http.StatusFound)
		case "/robots.txt":
			http.NotFound(w, r)
		default: // /n1 → /n2 → … without end
			var n int
			fmt.Sscanf(r.URL.Path, "/n%d", &n)
			http.Redirect(w, r, fmt.Sprintf("/n%d", n+1), http.StatusTemporaryRedirect)
		}
	})
	f := testFetcher(t, nil)
	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/old"})
	if err != nil || resp.FinalURL != srv.URL+"/new" || len(resp.Redirects) != 1 || resp.URL != srv.URL+"/old" {
		t.Fatalf("redirect: %v %+v", err, resp)
	}
	// The hop is kept with its own exchange, for the archive.
	if len(resp.Hops) != 1 {
		t.Fatalf("hops: %d", len(resp.Hops))
	}
	if hop := resp.Hops[0]; hop.URL != srv.URL+"/old" || hop.FinalURL != hop.URL || hop.Status != http.StatusMovedPermanently ||
		!bytes.HasPrefix(hop.RawRequest, []byte("GET /old ")) || !bytes.Contains(hop.RawHeader, []byte("Location: /new\r\n")) {
		t.Errorf("hop %+v", hop)
	}
	_, fe := fetchErr(t, f, srv.URL+"/a")
	if fe.Kind != Soft || !errors.Is(fe, ErrRedirectLoop) || !strings.Contains(fe.Msg, "/a → ") {
		t.Errorf("loop: %v (%s)", fe, fe.Kind)
	}
	_, fe = fetchErr(t, f, srv.URL+"/n1")
	if fe.Kind != Soft || !errors.Is(fe, ErrTooManyRedirects) {
		t.Errorf("chain: %v (%s)", fe, fe.Kind)
	}
}

func TestRobotsDisallow(t *testing.T) {
	var private, robots atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			robots.Add(1)
			fmt.Fprint(w, "User-agent: *\nDisallow: /\n\nUser-agent: pressreview-test\nDisallow: /private\nCrawl-delay: 0.05\n")
		case "/private/feed":
			private.Add(1)
		case "/redirect-to-private":
			http.Redirect(w, r, "/private/feed", http.StatusFound)
		default:
			fmt.Fprint(w, "public")
		}
	})
	f := testFetcher(t, nil)
	if _, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/public"}); err != nil {
		t.Fatalf("public page: %v", err)
	}
	for _, path := range []string{"/private/feed", "/redirect-to-private"} {
		_, fe := fetchErr(t, f, srv.URL+path)
		if fe.Kind != Hard || !errors.Is(fe, ErrRobotsDisallowed) || !strings.Contains(fe.Error(), "robots.txt disallows") {
			t.Errorf("%s: %v (%s)", path, fe, fe.Kind)
		}
	}
	if private.Load() != 0 {
		t.Error("a disallowed URL was requested")
	}
	if robots.Load() != 1 {
		t.Errorf("robots.txt fetched %d times, want 1 (cached)", robots.Load())
	}
	if d := f.HostDelay(strings.TrimPrefix(srv.URL, "http://")); d != 50*time.Millisecond {
		t.Errorf("crawl-delay gave host delay %v", d)
	}
}

func TestRobotsServerErrorIsTemporary(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		t.Errorf("requested %s although robots.txt was unavailable", r.URL.Path)
	})
	_, fe := fetchErr(t, testFetcher(t, nil), srv.URL+"/feed")
	if fe.Kind != Temporary || !strings.Contains(fe.Msg, "robots.txt unavailable") {
		t.Errorf("got %v (%s)", fe, fe.Kind)
	}
}
