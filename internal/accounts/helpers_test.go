package accounts_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/store"
)

const goodPassword = "a long enough passphrase"

func addUser(t *testing.T, db *store.DB, email string, role accounts.Role) accounts.User {
	t.Helper()
	u, err := accounts.CreateUser(context.Background(), db, accounts.NewUser{Email: email, Name: "Staff " + email, Role: role, Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// clock is a settable time for the lockout.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 7, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// instance is one server process: its own Auth (and so its own scs
// manager) on the shared database, with a sign-in endpoint and pages
// behind each role.
func instance(t *testing.T, db *store.DB, cfg accounts.Config) (*accounts.Auth, *httptest.Server) {
	t.Helper()
	a := accounts.New(db, cfg)
	mux := http.NewServeMux()
	mux.Handle("POST /login", a.WithSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := a.LogIn(r, r.PostFormValue("email"), r.PostFormValue("password")); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})))
	mux.Handle("POST /logout", a.WithSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.LogOut(r); err != nil {
			t.Error(err)
		}
	})))
	whoami := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ac, _ := accounts.ActorFrom(r.Context())
		w.Write([]byte(string(ac.Role) + " " + ac.Name))
	})
	for _, role := range accounts.Roles {
		mux.Handle("/"+string(role)+"/", a.RequireRole(role)(whoami))
		mux.Handle("/api/"+string(role)+"/", a.RequireRole(role)(whoami))
	}
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return a, ts
}

// browser is a client with a cookie jar that does not follow redirects.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func login(t *testing.T, c *http.Client, base, email, password string) *http.Response {
	t.Helper()
	resp, err := c.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// get fetches path with optional header pairs and returns the status,
// body and response.
func get(t *testing.T, c *http.Client, u string, header ...string) (int, string, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b.String(), resp
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
