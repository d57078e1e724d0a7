package subscribe_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/forms"
	"github.com/pressreview/pressreview/internal/newsletter"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web/subscribe"
)

// freshToken is the token of a form loaded just now, which no person could
// have filled yet.
func (s *site) freshToken() string {
	s.t.Helper()
	_, body := s.get(newsletter.PathSubscribe)
	m := formTokenRE.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatalf("no form token in the form:\n%s", body)
	}
	return htmlUnescape(m[1])
}

// proxied is a second instance of the pages on the same database, behind a
// reverse proxy on loopback that says whom it forwards for.
type proxied struct {
	s   *site
	srv *httptest.Server
}

func behindProxy(s *site, perIP int) *proxied {
	s.t.Helper()
	p, err := forms.ParseProxies("127.0.0.0/8, ::1")
	if err != nil {
		s.t.Fatal(err)
	}
	mux := http.NewServeMux()
	subscribe.Register(mux, subscribe.Deps{Service: s.svc, Layout: s.web, PrivacyURL: "/privacy", Now: s.clock.now, PerIP: perIP})
	srv := httptest.NewServer(p.Middleware(mux))
	s.t.Cleanup(srv.Close)
	return &proxied{s: s, srv: srv}
}

func (p *proxied) do(method, client string, form url.Values) string {
	p.s.t.Helper()
	req, err := http.NewRequest(method, p.srv.URL+newsletter.PathSubscribe, strings.NewReader(form.Encode()))
	if err != nil {
		p.s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "6.6.6.6, "+client) // the left part is the client's own claim
	resp, err := client2.Do(req)
	if err != nil {
		p.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

var client2 = &http.Client{}

// fill loads the form as client and waits like a person.
func (p *proxied) fill(client, email string) url.Values {
	p.s.t.Helper()
	body := p.do(http.MethodGet, client, nil)
	m := formTokenRE.FindStringSubmatch(body)
	if m == nil {
		p.s.t.Fatalf("no form token in the form:\n%s", body)
	}
	p.s.clock.advance(5 * time.Second)
	return url.Values{"email": {email}, "list": {"imr"}, "website": {""}, "ft": {htmlUnescape(m[1])}}
}

// TestFormTokenIsUsedOnceFromItsAddress: a token was accepted 50 times and
// from any address. Now it is good for one post, from the address it was
// served to, on whichever instance.
func TestFormTokenIsUsedOnceFromItsAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db, nil)
		p := behindProxy(s, 0)
		stolen := p.fill("198.51.100.1", "elsewhere@example.org")
		p.do(http.MethodPost, "203.0.113.2", stolen)
		if n := count(t, db, `SELECT COUNT(*) FROM subscribers`); n != 0 {
			t.Fatalf("a token posted from another address stored %d subscribers", n)
		}
		f := p.fill("198.51.100.1", "first@example.org")
		if body := p.do(http.MethodPost, "198.51.100.1", f); !strings.Contains(body, "check your inbox") {
			t.Fatalf("the first post was not accepted:\n%s", body)
		}
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				replay := url.Values{}
				for k, v := range f {
					replay[k] = v
				}
				replay.Set("email", "replay"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@example.org")
				if i%2 == 0 {
					p.do(http.MethodPost, "198.51.100.1", replay)
				} else {
					// The other instance, without the proxy: same database.
					s.post(newsletter.PathSubscribe, replay)
				}
			}()
		}
		wg.Wait()
		if n := count(t, db, `SELECT COUNT(*) FROM subscribers`); n != 1 {
			t.Fatalf("one form token made %d subscribers, want 1", n)
		}
	})
}

// TestRateLimitPerClientBehindProxy: behind a reverse proxy every reader
// shared the proxy's bucket. Now each client has its own, and the buckets
// are in the database, shared by every instance.
func TestRateLimitPerClientBehindProxy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db, func(d *subscribe.Deps) { d.PerIP = 2 })
		p := behindProxy(s, 2)
		for i := range 3 {
			p.do(http.MethodPost, "198.51.100.1", p.fill("198.51.100.1", "a"+string(rune('a'+i))+"@example.org"))
		}
		p.do(http.MethodPost, "198.51.100.2", p.fill("198.51.100.2", "b@example.org"))
		if n := count(t, db, `SELECT COUNT(*) FROM subscribers`); n != 3 {
			t.Fatalf("%d subscribers, want 3: two from the first client, one from the second", n)
		}
		// The loopback client of the first instance has its own bucket too;
		// the third post is refused whichever instance takes it.
		s.post(newsletter.PathSubscribe, s.fillForm("ca@example.org", "", "imr"))
		s.post(newsletter.PathSubscribe, s.fillForm("cb@example.org", "", "imr"))
		if n := count(t, db, `SELECT COUNT(*) FROM subscribers`); n != 5 {
			t.Fatalf("%d subscribers, want 5", n)
		}
		// 198.51.100.1 used its two on one proxied instance; another
		// instance, on the same database, refuses it a third.
		other := behindProxy(s, 2)
		other.do(http.MethodPost, "198.51.100.1", other.fill("198.51.100.1", "ad@example.org"))
		if n := count(t, db, `SELECT COUNT(*) FROM subscribers`); n != 5 {
			t.Fatalf("%d subscribers, want 5: the limit held across instances", n)
		}
	})
}
