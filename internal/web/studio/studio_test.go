package studio_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web"
	"github.com/pressreview/pressreview/internal/web/studio"
)

const password = "a long enough passphrase"

var quiet = slog.New(slog.DiscardHandler)

// newSite is one pressreview instance: the real web server (with its
// cross-origin protection) and the studio, on db.
func newSite(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	srv, err := web.New(db, web.Options{SiteURL: "http://desk.example.org", CachePages: -1, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	auth := accounts.New(db, accounts.Config{SiteURL: "http://desk.example.org", Forbidden: studio.Forbidden(srv), Logger: quiet})
	studio.Register(srv, db, auth)
	srv.Handle("GET /studio/users", auth.RequireRole(accounts.Admin)(http.NotFoundHandler()))
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func seed(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	for _, u := range []accounts.NewUser{
		{Email: "ana@example.org", Name: "Ana Rahimi", Role: accounts.Analyst, Password: password},
	} {
		if _, err := accounts.CreateUser(ctx, db, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO series (key, name) VALUES ('imr', 'Iran Media Review')`,
		`INSERT INTO editions (slug, series_id, edition_date, title, status, publish_at)
		 SELECT 'imr-2025-03-07', id, '2025-03-07', 'Responses to the Ukraine talks', 'published', '2025-03-07 14:00:00+00:00' FROM series`,
		`INSERT INTO editions (slug, series_id, edition_date, title, status)
		 SELECT 'imr-2025-03-14', id, '2025-03-14', 'Draft <b>week</b>', 'draft' FROM series`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

type client struct {
	t    *testing.T
	http *http.Client
	base string
}

func newClient(t *testing.T, base string) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, base: base, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request; form, when not nil, is posted. header holds pairs.
func (c *client) do(method, path string, form url.Values, header ...string) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, string(b)
}

func (c *client) login(email, pw, next string, header ...string) (*http.Response, string) {
	c.t.Helper()
	return c.do(http.MethodPost, studio.PathLogin, url.Values{"email": {email}, "password": {pw}, "next": {next}}, header...)
}

func TestStudio(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seed(t, db)
		ts := newSite(t, db)
		c := newClient(t, ts.URL)

		resp, _ := c.do(http.MethodGet, "/studio/", nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/studio/login?next=%2Fstudio%2F" {
			t.Fatalf("studio home signed out: %s Location %q", resp.Status, loc)
		}
		resp, body := c.do(http.MethodGet, "/studio/login?next=%2Fstudio%2F", nil)
		for _, want := range []string{
			`<label for="login-email">Email</label>`, `<input id="login-email" type="email" name="email"`,
			`<label for="login-password">Password</label>`, `autocomplete="current-password"`,
			`<input type="hidden" name="next" value="/studio/">`, `<main id="main"`, `<h1 id="login-title">`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("login page lacks %s", want)
			}
		}
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" || !strings.Contains(resp.Header.Get("X-Robots-Tag"), "noindex") {
			t.Errorf("login page: %s, Cache-Control %q, X-Robots-Tag %q", resp.Status, resp.Header.Get("Cache-Control"), resp.Header.Get("X-Robots-Tag"))
		}

		// Wrong password and unknown address read the same.
		_, wrong := c.login("ana@example.org", "not the password", "/studio/")
		resp, unknown := c.login("nobody@example.org", "not the password", "/studio/")
		const msg = "The email address or password is not correct."
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(wrong, msg) || !strings.Contains(unknown, msg) {
			t.Fatalf("failed sign-in: %s; message shown: %v / %v", resp.Status, strings.Contains(wrong, msg), strings.Contains(unknown, msg))
		}
		if !strings.Contains(unknown, `value="nobody@example.org"`) || !strings.Contains(unknown, `role="alert"`) || !strings.Contains(unknown, `aria-invalid="true"`) {
			t.Error("failed sign-in form does not keep the address or point at the error")
		}

		resp, _ = c.login("Ana@Example.org", password, "/studio/?view=drafts")
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/studio/?view=drafts" {
			t.Fatalf("sign-in: %s Location %q", resp.Status, loc)
		}
		resp, body = c.do(http.MethodGet, "/studio/", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("studio home: %s", resp.Status)
		}
		for _, want := range []string{
			`<a href="/studio/editions/imr-2025-03-14">Draft &lt;b&gt;week&lt;/b&gt;</a>`,
			`Signed in as Ana Rahimi (analyst)`, `<form method="post" action="/studio/logout">`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("studio home lacks %s", want)
			}
		}
		if strings.Contains(body, `href="/analysis/imr-2025-03-14"`) {
			t.Error("studio home links a draft to its public page, which readers cannot see")
		}
		// Signed in, the login page sends you on.
		if resp, _ := c.do(http.MethodGet, "/studio/login?next=/studio/", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("login page when signed in: %s", resp.Status)
		}
		// A page needing a higher role: 403 in the site layout.
		resp, body = c.do(http.MethodGet, "/studio/users", nil)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Your role (analyst) does not allow this page") || !strings.Contains(body, `<main id="main"`) {
			t.Errorf("admin page as analyst: %s", resp.Status)
		}

		resp, _ = c.do(http.MethodPost, studio.PathLogout, url.Values{})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != studio.PathLogin {
			t.Fatalf("sign-out: %s", resp.Status)
		}
		if resp, _ := c.do(http.MethodGet, "/studio/", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("studio home after sign-out: %s", resp.Status)
		}
	})
}

// TestStudioInstances signs in through one server and reads the studio
// through another that shares the database and nothing else.
func TestStudioInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seed(t, db)
		one, two := newSite(t, db), newSite(t, db)
		c := newClient(t, one.URL)
		if resp, _ := c.login("ana@example.org", password, ""); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-in on one: %s", resp.Status)
		}
		c2 := newClient(t, two.URL)
		u1, _ := url.Parse(one.URL)
		u2, _ := url.Parse(two.URL)
		c2.http.Jar.SetCookies(u2, c.http.Jar.Cookies(u1))
		if resp, body := c2.do(http.MethodGet, "/studio/", nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Ana Rahimi") {
			t.Errorf("studio on two with the cookie from one: %s", resp.Status)
		}
	})
}

func TestLoginRefusesCrossOriginPosts(t *testing.T) {
	db := storetest.SQLite(t)
	seed(t, db)
	c := newClient(t, newSite(t, db).URL)
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Origin", "https://evil.example"},
	} {
		resp, _ := c.login("ana@example.org", password, "/studio/", h...)
		if resp.StatusCode != http.StatusForbidden || len(resp.Cookies()) != 0 {
			t.Errorf("sign-in posted with %s: %s, cookies %v; want 403 and no session", h, resp.Status, resp.Cookies())
		}
	}
	// The same post from the site itself works.
	if resp, _ := c.login("ana@example.org", password, "/studio/", "Sec-Fetch-Site", "same-origin"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin sign-in: %s", resp.Status)
	}
}

func TestLoginRefusesOpenRedirects(t *testing.T) {
	db := storetest.SQLite(t)
	seed(t, db)
	base := newSite(t, db).URL
	for _, next := range []string{
		"https://evil.example/", "//evil.example/", `/\evil.example`, "/\t/evil.example", "javascript:alert(1)", "evil.example",
	} {
		c := newClient(t, base)
		_, body := c.do(http.MethodGet, "/studio/login?"+url.Values{"next": {next}}.Encode(), nil)
		if !strings.Contains(body, `name="next" value="/studio/"`) {
			t.Errorf("login form with next=%q does not fall back to /studio/", next)
		}
		resp, _ := c.login("ana@example.org", password, next)
		if loc := resp.Header.Get("Location"); loc != "/studio/" {
			t.Errorf("sign-in with next=%q redirects to %q", next, loc)
		}
	}
}

func TestLoginLockout(t *testing.T) {
	db := storetest.SQLite(t)
	seed(t, db)
	c := newClient(t, newSite(t, db).URL)
	for i := 0; i < 5; i++ {
		c.login("ana@example.org", "not the password", "")
	}
	resp, body := c.login("ana@example.org", password, "")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many failed sign-ins") {
		t.Errorf("sign-in while locked: %s Retry-After %q", resp.Status, resp.Header.Get("Retry-After"))
	}
}
