package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

// loopback is the Allow list of tests whose servers listen on loopback.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

func TestForbiddenAddresses(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1":           "loopback",
		"127.0.0.2":           "loopback",
		"::1":                 "loopback",
		"::ffff:127.0.0.1":    "loopback",
		"::ffff:10.1.2.3":     "private",
		"10.0.0.1":            "private",
		"172.16.5.4":          "private",
		"192.168.1.1":         "private",
		"fd00::1":             "unique-local",
		"169.254.169.254":     "link-local", // cloud metadata
		"fe80::1%eth0":        "link-local",
		"0.0.0.0":             "unspecified",
		"::":                  "unspecified",
		"0.1.2.3":             `"this network"`,
		"100.64.0.1":          "shared (carrier-grade NAT)",
		"224.0.0.1":           "multicast",
		"ff02::1":             "multicast",
		"255.255.255.255":     "reserved",
		"::7f00:1":            "IPv4-compatible (deprecated)",
		"64:ff9b:1::a00:1":    "local-use NAT64",
		"64:ff9b::a00:1":      "private",  // NAT64 of 10.0.0.1
		"2002:7f00:1::1":      "loopback", // 6to4 of 127.0.0.1
		"93.184.215.14":       "",
		"2606:2800:21f::1":    "",
		"64:ff9b::5db8:d70e":  "", // NAT64 of a public address
		"::ffff:93.184.215.1": "",
	} {
		if got := forbidden(netip.MustParseAddr(addr)); got != want {
			t.Errorf("%s: %q, want %q", addr, got, want)
		}
	}
}

func TestParseAllow(t *testing.T) {
	got, err := ParseAllow(" 127.0.0.0/8, ::1/128,10.0.0.7 ")
	want := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("10.0.0.7/32")}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v %v", got, err)
	}
	for _, bad := range []string{"127.0.0.0/33", "localhost", "10.0.0.1/8"} {
		if _, err := ParseAllow(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// serveOn starts a server on ip (any loopback address: Linux answers on
// all of 127.0.0.0/8) that counts its requests.
func serveOn(t *testing.T, ip string, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	var hits atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &hits
}

func refused(t *testing.T, f *Fetcher, url, reason string) {
	t.Helper()
	resp, fe := fetchErr(t, f, url)
	var ae *AddressError
	if resp != nil || fe.Kind != Hard || !errors.Is(fe, ErrForbiddenAddress) || !errors.As(fe, &ae) || ae.Reason != reason ||
		!strings.Contains(fe.Error(), "PRESSREVIEW_FETCH_ALLOW") {
		t.Errorf("%s: got %v (%s), response %v", url, fe, fe.Kind, resp)
	}
}

// A feed item linking to another internal address is refused, directly
// and behind a redirect from an allowed host, and that address never sees
// a request (robots.txt included).
func TestRefusesInternalAddress(t *testing.T) {
	secret, secretHits := serveOn(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<p>internal</p>")
	})
	press, _ := serveOn(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/go":
			http.Redirect(w, r, secret.URL+"/secret.html", http.StatusFound)
		case "/mapped":
			http.Redirect(w, r, strings.Replace(secret.URL, "127.0.0.2", "[::ffff:127.0.0.2]", 1)+"/secret.html", http.StatusFound)
		default:
			fmt.Fprint(w, "<p>news</p>")
		}
	})
	f := testFetcher(t, func(c *Config) { c.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	if _, err := f.Fetch(context.Background(), Request{URL: press.URL + "/news"}); err != nil {
		t.Fatalf("allowed host: %v", err)
	}
	refused(t, f, secret.URL+"/secret.html", "loopback")
	refused(t, f, press.URL+"/go", "loopback")
	refused(t, f, press.URL+"/mapped", "loopback")
	if n := secretHits.Load(); n != 0 {
		t.Errorf("the forbidden address got %d requests", n)
	}
}

// The check is on the address a name resolves to, at connection time, so
// DNS (or a rebinding answer) cannot lead around it.
func TestRefusesNameResolvingToLoopback(t *testing.T) {
	local, localHits := serveOn(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<p>internal</p>")
	})
	_, port, _ := net.SplitHostPort(local.Listener.Addr().String())
	byName := "http://localhost:" + port + "/secret.html"

	def := testFetcher(t, func(c *Config) { c.Allow = nil })
	refused(t, def, byName, "loopback")

	// A redirect from an allowed host to that name.
	press, _ := serveOn(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/go" {
			http.Redirect(w, r, byName, http.StatusMovedPermanently)
			return
		}
		http.NotFound(w, r)
	})
	f := testFetcher(t, func(c *Config) { c.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")} })
	refused(t, f, press.URL+"/go", "loopback")

	// A transport that routes requests elsewhere still dials through the
	// check.
	routed := testFetcher(t, func(c *Config) {
		c.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}
		c.Transport = func(base http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(r *http.Request) (*http.Response, error) {
				r = r.Clone(r.Context())
				r.URL.Host = local.Listener.Addr().String()
				return base.RoundTrip(r)
			})
		}
	})
	refused(t, routed, "http://news.example/feed", "loopback")
	if n := localHits.Load(); n != 0 {
		t.Errorf("the forbidden address got %d requests", n)
	}

	// Allowed explicitly, the same name is fetched.
	if _, err := testFetcher(t, nil).Fetch(context.Background(), Request{URL: byName}); err != nil {
		t.Errorf("with loopback allowed: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
