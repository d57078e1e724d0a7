package studio_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
	"github.com/pressreview/pressreview/internal/web"
	"github.com/pressreview/pressreview/internal/web/studio"
)

// deskSite is a studio with the intake wired as serve wires it: the
// screens, "check now", manual intake and POST /api/articles, on the
// demo's roster, with an analyst and an editor.
type deskSite struct {
	url string
	db  *store.DB
	svc *ingest.Service
}

func newDeskSite(t *testing.T, db *store.DB) *deskSite {
	t.Helper()
	ctx := context.Background()
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, u := range []accounts.NewUser{
		{Email: "ana@example.org", Name: "Ana Rahimi", Role: accounts.Analyst, Password: password},
		{Email: "eddie@example.org", Name: "Eddie Karimi", Role: accounts.Editor, Password: password},
	} {
		if _, err := accounts.CreateUser(ctx, db, u); err != nil {
			t.Fatal(err)
		}
	}
	// The fetcher may reach the loopback servers of the tests.
	svc, err := ingest.New(db, ingest.Config{DataDir: t.TempDir(), Timeout: 5 * time.Second, ArchiveNoSync: true,
		Fetch: fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	srv, err := web.New(db, web.Options{SiteURL: "http://desk.example.org", CachePages: -1, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	auth := accounts.New(db, accounts.Config{SiteURL: "http://desk.example.org", Forbidden: studio.Forbidden(srv), Logger: quiet})
	studio.Register(srv, db, auth)
	studio.RegisterIntake(srv, db, auth, svc)
	srv.Handle("POST /api/articles", auth.RequireRole(accounts.Analyst)(ingest.IntakeHandler(svc)))
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &deskSite{url: ts.URL, db: db, svc: svc}
}

// as signs a new client in as the analyst ("ana") or the editor ("eddie").
func (d *deskSite) as(t *testing.T, who string) *client {
	t.Helper()
	c := newClient(t, d.url)
	if resp, _ := c.login(who+"@example.org", password, "/studio/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in as %s: %s", who, resp.Status)
	}
	return c
}

// pasted are articles written for these tests (not real press coverage),
// in Persian with Persian yeh and kaf.
var pasted = []struct{ outlet, title, text string }{
	{"kayhan", "مذاکرات هسته‌ای در کرمان", "کیهان نوشت که مذاکرات هسته‌ای با میانجیگری روسیه به نتیجه نمی‌رسد و ایران نباید به وعده‌های کرملین اعتماد کند."},
	{"kayhan", "سرمقاله کیهان درباره تحریم‌ها", "سرمقاله امروز کیهان تحریم‌ها را بی‌اثر خواند و از دولت خواست مذاکرات را متوقف کند."},
	{"etemad", "اعتماد: فرصت دیپلماسی", "روزنامه اعتماد نوشت که فرصت دیپلماسی هنوز از دست نرفته و مذاکرات مستقیم تنها راه است."},
	{"tehran-times", "Tehran Times on the talks", "Tehran Times wrote that the talks with Russia as mediator serve Iran's interests."},
}

// pasteAll stores the pasted articles, published on day, through the
// intake's own function, and returns their ids.
func (d *deskSite) pasteAll(t *testing.T, day time.Time) []int64 {
	t.Helper()
	var ids []int64
	for _, p := range pasted {
		a, _, err := d.svc.AddPasted(context.Background(), ingest.Paste{OutletKey: p.outlet, Date: day, Source: "print edition, p. 2",
			Title: p.title, Body: []byte(p.text)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	return ids
}

// feedServer is a loopback outlet: an RSS feed of one item, or a 500 when
// broken; hits counts the feed's fetches.
type feedServer struct {
	*httptest.Server
	hits   atomic.Int32
	broken atomic.Bool
}

func newFeedServer(t *testing.T) *feedServer {
	t.Helper()
	fs := &feedServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			fs.hits.Add(1)
			if fs.broken.Load() {
				http.Error(w, "down for maintenance", http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Loopback press</title><link>%[1]s/</link>
<item><title>خبر تازه</title><link>%[1]s/news/1</link><pubDate>Mon, 02 Mar 2025 08:00:00 GMT</pubDate></item></channel></rss>`, fs.URL)
		case "/news/1":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!DOCTYPE html><html lang="fa" dir="rtl"><head><title>گزارش کرمان</title></head><body><article><h1>گزارش کرمان</h1>
<p>این متن برای آزمون pressreview نوشته شده است و خبر واقعی نیست. مذاکرات در کرمان ادامه دارد و نمایندگان دو طرف امروز دیدار کردند.</p>
<p>به گفته منابع محلی، گفت‌وگوها درباره آب و کشاورزی استان بود و قرار است هفته آینده ادامه یابد.</p></article></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(fs.Close)
	return fs
}

// addFeed gives outlet a feed on the server.
func (d *deskSite) addFeed(t *testing.T, outlet, u string) outlets.Feed {
	t.Helper()
	o, err := outlets.OutletByKey(context.Background(), d.db, outlet)
	if err != nil {
		t.Fatal(err)
	}
	f := outlets.Feed{OutletID: o.ID, URL: u}
	if err := outlets.SaveFeed(context.Background(), d.db, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestStudioScreensNeedSignIn: every screen sends a stranger to the
// sign-in form, and comes back after it.
func TestStudioScreensNeedSignIn(t *testing.T) {
	d := newDeskSite(t, storetest.SQLite(t))
	c := newClient(t, d.url)
	for _, p := range []string{"/studio/", "/studio/editions", "/studio/outlets", "/studio/outlets/new", "/studio/outlets/kayhan",
		"/studio/feeds", "/studio/people", "/studio/people/new", "/studio/authors", "/studio/authors/new",
		"/studio/archive?q=iran", "/studio/archive/coverage.svg?q=iran", "/studio/intake"} {
		resp, _ := c.do(http.MethodGet, p, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/studio/login?next="+url.QueryEscape(p) {
			t.Errorf("GET %s signed out: %s Location %q", p, resp.Status, loc)
		}
	}
	for _, p := range []string{"/studio/outlets", "/studio/outlets/kayhan", "/studio/people", "/studio/authors", "/studio/intake", "/studio/feeds/1/check"} {
		if resp, _ := c.do(http.MethodPost, p, url.Values{}); resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("POST %s signed out: %s", p, resp.Status)
		}
	}
	resp, _ := c.do(http.MethodPost, "/api/articles", nil, "Content-Type", "application/json")
	if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusSeeOther {
		t.Errorf("POST /api/articles signed out: %s", resp.Status)
	}
}

// TestDeskHome: the desk counts what came in since the last visit by camp
// and outlet, the topics' unseen alerts, failing feeds and editions by
// state, and each count links to the view that lists exactly those.
func TestDeskHome(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := newDeskSite(t, db)
		if err := search.SaveTopic(ctx, db, &search.Topic{Name: "Kerman talks", Query: "کرمان OR مذاکرات"}); err != nil {
			t.Fatal(err)
		}
		d.pasteAll(t, time.Now().UTC())
		// An old article is not new.
		if _, _, err := d.svc.AddPasted(ctx, ingest.Paste{OutletKey: "javan", Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
			Source: "print edition", Body: []byte("یک مقاله قدیمی درباره اقتصاد.")}); err != nil {
			t.Fatal(err)
		}
		if _, err := search.CheckTopics(ctx, db); err != nil {
			t.Fatal(err)
		}
		fs := newFeedServer(t)
		fs.broken.Store(true)
		f := d.addFeed(t, "etemad", fs.URL+"/feed.xml")
		if _, err := d.svc.PollFeed(ctx, f.ID); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`INSERT INTO editions (slug, series_id, edition_date, title, status)
			 SELECT 'imr-2099-01-01', id, '2099-01-01', 'Waiting week', 'draft' FROM series WHERE key = 'iran-media-review'`,
			`INSERT INTO edition_workflow (edition_id, state, version) SELECT id, 'in_review', 1 FROM editions WHERE slug = 'imr-2099-01-01'`,
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}

		c := d.as(t, "ana")
		resp, page := c.do(http.MethodGet, "/studio/", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("desk: %s", resp.Status)
		}
		since := time.Now().UTC().Add(-7 * 24 * time.Hour).Format("2006-01-02")
		after := "after:" + since
		q := func(s string) string { return "/studio/archive?" + url.Values{"q": {s}}.Encode() }
		for _, want := range []string{
			`<a href="` + q(after) + `">4 articles</a>`,
			`<a href="` + q(after+" orientation:hard-line") + `">hard-line</a> <span class="count">2</span>`,
			`<a href="` + q(after+" orientation:reformist") + `">reformist</a> <span class="count">1</span>`,
			`<a href="` + q(after+" outlet:kayhan") + `">Kayhan</a> <span class="count">2</span>`,
			`<a href="` + q("کرمان OR مذاکرات") + `">Kerman talks</a> <span class="count">3 unseen</span>`,
			`<a href="/studio/feeds?status=failing">1 failing feed</a>`,
			`<a href="/studio/editions?state=in_review">in review</a> <span class="count">1</span>`,
			`<a href="/studio/editions/imr-2099-01-01">Waiting week</a>`,
			`<nav class="studio-nav" aria-label="Studio">`, `<a href="/studio/" aria-current="page">Desk</a>`,
		} {
			if !strings.Contains(strings.ReplaceAll(page, "&#43;", "+"), want) {
				t.Errorf("desk lacks %s", want)
			}
		}
		if t.Failed() {
			t.Logf("desk:\n%s", page)
		}
		// Each link finds what its count says.
		for _, l := range []struct {
			href, want string
		}{
			{q(after + " orientation:hard-line"), "<h2 id=\"results-title\">2 articles</h2>"},
			{q(after + " outlet:kayhan"), "<h2 id=\"results-title\">2 articles</h2>"},
			{q(after), "<h2 id=\"results-title\">4 articles</h2>"},
		} {
			if _, body := c.do(http.MethodGet, l.href, nil); !strings.Contains(body, l.want) {
				t.Errorf("%s does not list what the desk counted (%s)", l.href, l.want)
			}
		}
		if _, body := c.do(http.MethodGet, "/studio/feeds?status=failing", nil); !strings.Contains(body, fs.URL+"/feed.xml") || !strings.Contains(body, "500") {
			t.Errorf("failing feeds do not list the broken feed:\n%s", body)
		}
		if _, body := c.do(http.MethodGet, "/studio/editions?state=in_review", nil); !strings.Contains(body, "Waiting week") {
			t.Error("editions?state=in_review does not list the edition waiting for review")
		}

		// A reload within the hour is the same visit: the same counts. A
		// visit after a longer gap counts from the end of the last one.
		if _, again := c.do(http.MethodGet, "/studio/", nil); !strings.Contains(again, `">4 articles</a>`) {
			t.Error("reloading the desk reset what is new")
		}
		twoHours := time.Now().UTC().Add(-2 * time.Hour)
		if _, err := db.ExecContext(ctx, `UPDATE studio_visits SET last_seen_at = ?`, twoHours); err != nil {
			t.Fatal(err)
		}
		_, later := c.do(http.MethodGet, "/studio/", nil)
		if want := `<time datetime="` + twoHours.Format("2006-01-02") + `">`; !strings.Contains(later, want) {
			t.Errorf("the next visit does not count from the last one (%s)", want)
		}
	})
}
