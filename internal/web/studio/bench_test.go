package studio_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/editorial"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/reviews"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
	"github.com/pressreview/pressreview/internal/web/studio"
)

// benchEnv names the database of TestStudioBenchmark: a large archive such
// as the search benchmark's (PRESSREVIEW_SEARCH_BENCH_DIR keeps it), e.g.
//
//	PRESSREVIEW_STUDIO_BENCH=sqlite:/work/bench/bench-1000000.db \
//	  go test ./internal/web/studio -run TestStudioBenchmark -v -timeout 30m
//	PRESSREVIEW_STUDIO_BENCH='postgres://postgres@127.0.0.1:5432/pressreview_bench_1000000?sslmode=disable' …
//
// It adds a desk's worth of studio data beside the archive (an analyst, an
// edition of 40 entries, clips), then times the pages of a working day
// through the real server: HTTP on loopback, session cookie, templates.
const benchEnv = "PRESSREVIEW_STUDIO_BENCH"

// benchRounds is how many times each page is timed, after a warm-up.
const benchRounds = 200

func TestStudioBenchmark(t *testing.T) {
	dsn := os.Getenv(benchEnv)
	if dsn == "" {
		t.Skip(benchEnv + " is not set")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var articles int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&articles); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	email := "bench-" + run + "@bench.example"
	if _, err := accounts.CreateUser(ctx, db, accounts.NewUser{Email: email, Name: "Bench Analyst", Role: accounts.Analyst, Password: password}); err != nil {
		t.Fatal(err)
	}

	var root http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { root.ServeHTTP(w, r) }))
	defer ts.Close()
	srv, err := web.New(db, web.Options{SiteName: "pressreview", SiteURL: ts.URL, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	auth := accounts.New(db, accounts.Config{SiteURL: ts.URL, Forbidden: studio.Forbidden(srv), Logger: quiet})
	studio.Register(srv, db, auth)
	clipper := clips.New(db, ingest.Config{DataDir: dir}.Archive())
	studio.RegisterWork(srv, db, auth, studio.Work{Clips: clipper})
	staff := auth.RequireRole(accounts.Analyst)
	srv.Handle("/api/", staff(search.Handler(db)))
	clipsAPI := staff(clips.Handler(clipper, ts.URL))
	for _, p := range clips.Patterns {
		srv.Handle(p, clipsAPI)
	}
	root = srv.Handler()

	// The newest Persian article that no earlier run clipped is the one
	// being read, so that runs do not pile their clips on one article.
	var articleID int64
	if err := db.QueryRowContext(ctx, `SELECT id FROM articles a WHERE lang = 'fa'
		AND NOT EXISTS (SELECT 1 FROM clips c WHERE c.article_id = a.id) ORDER BY id DESC LIMIT 1`).Scan(&articleID); err != nil {
		t.Fatal(err)
	}
	a, err := ingest.ArticleByID(ctx, db, articleID)
	if err != nil {
		t.Fatal(err)
	}
	textLen := len([]rune(a.Text))
	if textLen < 200 {
		t.Fatalf("article %d has %d code points; want a longer one", articleID, textLen)
	}

	ed := benchEdition(run)
	d, err := editorial.Create(ctx, db, accounts.Actor{Email: email, Role: accounts.Analyst}, ed)
	if err != nil {
		t.Fatal(err)
	}

	c := newClient(t, ts.URL)
	if resp, _ := c.login(email, password, "/studio/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %s", resp.Status)
	}
	pages := []struct{ name, path string }{
		{"desk home", "/studio/"},
		{"article", fmt.Sprintf("/studio/articles/%d", articleID)},
		{"edition editor, 40 entries", "/studio/editions/" + d.Slug},
	}
	t.Logf("archive: %d articles on %s", articles, db.Dialect())
	for _, p := range pages {
		lat := timeIt(t, func(i int) {
			resp, body := c.do(http.MethodGet, p.path, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %s\n%.500s", p.path, resp.Status, body)
			}
		})
		t.Logf("%-28s p50 %6.1f ms  p95 %6.1f ms", p.name, ms(lat, 50), ms(lat, 95))
	}

	// Clip saves through the JSON API, each on another passage.
	lat := timeIt(t, func(i int) {
		start := (i * 37) % (textLen - 60)
		body, _ := json.Marshal(map[string]any{"article": articleID, "start": start, "end": start + 40,
			"speaker":     map[string]string{"name": fmt.Sprintf("Bench Speaker %s-%d", run, i), "role": "an analyst"},
			"translation": "A translation of the passage."})
		req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/clips", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("clip save: %s\n%s", resp.Status, out)
		}
	})
	t.Logf("%-28s p50 %6.1f ms  p95 %6.1f ms", "clip save (POST /api/clips)", ms(lat, 50), ms(lat, 95))
}

// timeIt runs f ten times to warm caches, then benchRounds times timed.
func timeIt(t *testing.T, f func(i int)) []time.Duration {
	t.Helper()
	for i := range 10 {
		f(i)
	}
	lat := make([]time.Duration, benchRounds)
	for i := range benchRounds {
		start := time.Now()
		f(10 + i)
		lat[i] = time.Since(start)
	}
	slices.Sort(lat)
	return lat
}

// ms is the p-th percentile of sorted latencies in milliseconds.
func ms(sorted []time.Duration, p int) float64 {
	i := (len(sorted)*p + 99) / 100
	return float64(sorted[max(0, i-1)]) / float64(time.Millisecond)
}

// benchEdition is an edition of 40 entries in the shapes real editions
// take: an outlet speaking, a speaker interviewed by an outlet, two
// outlets, each with two quotes.
func benchEdition(run string) reviews.Edition {
	e := reviews.Edition{Slug: "bench-" + run, Series: "iran-media-review", Date: "2025-03-07",
		Title: "Benchmark Edition " + run, Dek: "Forty entries.", Intro: "An edition as long as the longest real ones.",
		Authors: []string{"ali-alfoneh"}}
	quotes := []reviews.Item{
		{Parts: []reviews.Part{{Kind: reviews.Quote, Text: "The Islamic Republic’s problem is not a lack of mediators."}}},
		{Parts: []reviews.Part{{Kind: reviews.Quote, Text: "Past administrations reneged on their promises.", Original: "دولت‌های گذشته به وعده‌هایشان عمل نکردند.", OriginalLang: "fa"}}},
	}
	for i := range 40 {
		en := reviews.Entry{Date: "2025-03-04", Items: quotes}
		switch i % 3 {
		case 0:
			en.Outlets = []reviews.OutletRef{{Key: "kayhan", Label: "hard-line Kayhan", Role: "source"}}
			en.LeadIn = "Hard-line Kayhan dismissed the idea of negotiations:"
		case 1:
			en.Outlets = []reviews.OutletRef{{Key: "jamaran-news", Label: "Jamaran News", Role: "source"}}
			en.Speakers = []reviews.SpeakerRef{{Key: "nemat-allah-izadi", Label: "Nemat-Allah Izadi, Iran’s last ambassador to the Soviet Union"}}
			en.Intermediary = "interviewed by"
			en.LeadIn = "Nemat-Allah Izadi, Iran’s last ambassador to the Soviet Union, interviewed by Jamaran News, warned:"
		default:
			en.Outlets = []reviews.OutletRef{{Key: "kayhan", Label: "Kayhan", Role: "source"}, {Key: "shargh-daily", Label: "the reformist newspaper Shargh Daily", Role: "source"}}
			en.LeadIn = "Kayhan and the reformist newspaper Shargh Daily disagreed:"
		}
		e.Entries = append(e.Entries, en)
	}
	return e
}
