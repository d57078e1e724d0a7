package forms_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/forms"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestClientBehindTrustedProxies(t *testing.T) {
	p, err := forms.ParseProxies("10.0.0.0/8, 192.0.2.7, ::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ peer, xff, want string }{
		{"203.0.113.5:4000", "", "203.0.113.5"},
		// An untrusted peer cannot choose its address by header.
		{"203.0.113.5:4000", "198.51.100.1", "203.0.113.5"},
		{"10.1.2.3:80", "198.51.100.1", "198.51.100.1"},
		// Read from the right: what the client sent on the left is not believed.
		{"10.1.2.3:80", "6.6.6.6, 198.51.100.1, 192.0.2.7", "198.51.100.1"},
		{"[::1]:80", "198.51.100.1,10.9.9.9", "198.51.100.1"},
		{"[::ffff:10.1.2.3]:80", "198.51.100.2", "198.51.100.2"},
		// Only trusted hops: the leftmost one is the best known.
		{"10.1.2.3:80", "10.4.4.4", "10.4.4.4"},
		{"10.1.2.3:80", "", "10.1.2.3"},
		// Garbage stops the walk at the last trusted hop.
		{"10.1.2.3:80", "198.51.100.1, unknown", "10.1.2.3"},
	} {
		r := httptest.NewRequest("POST", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := p.ClientOf(r); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: client %s, want %s", c.peer, c.xff, got, c.want)
		}
	}
	if _, err := forms.ParseProxies("10.0.0.0/8, proxy.internal"); err == nil {
		t.Error("a host name was accepted as a trusted proxy")
	}
}

func TestRateLimitIsSharedAndAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Two guards stand for two instances on one database.
		a, b := forms.New(db, []byte("k")), forms.New(db, []byte("k"))
		l := forms.Limit{Bucket: "test", Max: 5, Window: time.Hour}
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			allowed int
		)
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				g := a
				if i%2 == 1 {
					g = b
				}
				ok, err := g.Allow(ctx, l, "198.51.100.1", t0)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if allowed != 5 {
			t.Errorf("%d of 30 parallel hits allowed, want 5", allowed)
		}
		if ok, _ := a.Allow(ctx, l, "198.51.100.2", t0); !ok {
			t.Error("another subject was refused")
		}
		if ok, _ := b.Allow(ctx, l, "198.51.100.1", t0.Add(time.Hour)); !ok {
			t.Error("the window did not reset")
		}
	})
}

func TestFormTokenIsUsedOnceByItsClient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		g, other := forms.New(db, []byte("k")), forms.New(db, []byte("k"))
		tok := g.Issue("register", "198.51.100.1", t0)
		if err := g.Consume(ctx, "register", tok, "198.51.100.1", t0.Add(time.Second), 3*time.Second); !errors.Is(err, forms.ErrTokenFresh) {
			t.Errorf("a form posted after 1 s: %v", err)
		}
		if err := g.Consume(ctx, "register", tok, "203.0.113.9", t0.Add(time.Minute), 3*time.Second); !errors.Is(err, forms.ErrTokenInvalid) {
			t.Errorf("a token posted from another address: %v", err)
		}
		if err := g.Consume(ctx, "subscribe", tok, "198.51.100.1", t0.Add(time.Minute), 3*time.Second); !errors.Is(err, forms.ErrTokenInvalid) {
			t.Errorf("a token posted to another form: %v", err)
		}
		if err := g.Consume(ctx, "register", tok, "198.51.100.1", t0.Add(25*time.Hour), 3*time.Second); !errors.Is(err, forms.ErrTokenExpired) {
			t.Errorf("a token a day old: %v", err)
		}
		// 50 replays in parallel, half of them on another instance: one passes.
		var (
			wg     sync.WaitGroup
			mu     sync.Mutex
			passed int
		)
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				gg := g
				if i%2 == 1 {
					gg = other
				}
				err := gg.Consume(ctx, "register", tok, "198.51.100.1", t0.Add(time.Minute), 3*time.Second)
				switch {
				case err == nil:
					mu.Lock()
					passed++
					mu.Unlock()
				case !errors.Is(err, forms.ErrTokenUsed):
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if passed != 1 {
			t.Errorf("one token was accepted %d times, want once", passed)
		}
		if err := g.Consume(ctx, "register", tok+"x", "198.51.100.1", t0.Add(time.Minute), 0); !errors.Is(err, forms.ErrTokenInvalid) {
			t.Errorf("an altered token: %v", err)
		}
	})
}

func TestSignedLink(t *testing.T) {
	g := forms.New(nil, []byte("k"))
	tok := g.SignLink("confirm", "42", t0.Add(time.Hour))
	if s, err := g.VerifyLink("confirm", tok, t0); s != "42" || err != nil {
		t.Errorf("VerifyLink = %q, %v", s, err)
	}
	if _, err := g.VerifyLink("confirm", tok, t0.Add(time.Hour)); !errors.Is(err, forms.ErrLinkExpired) {
		t.Errorf("expired link: %v", err)
	}
	if _, err := g.VerifyLink("other", tok, t0); !errors.Is(err, forms.ErrLinkInvalid) {
		t.Errorf("link for another purpose: %v", err)
	}
	if _, err := forms.New(nil, []byte("other key")).VerifyLink("confirm", tok, t0); !errors.Is(err, forms.ErrLinkInvalid) {
		t.Errorf("link signed with another key: %v", err)
	}
}
