package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/web"
)

// Two instances on one database: a publish by any writer (here, straight
// to the database) shows on both once ContentCheckEvery has passed.
func TestPublishInvalidatesEveryInstance(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		const every = 20 * time.Millisecond
		a := newTestServer(t, db, web.Options{ContentCheckEvery: every})
		b := newTestServer(t, db, web.Options{ContentCheckEvery: every})
		for _, ts := range []*httptest.Server{a, b} {
			if _, body := get(t, ts, "/analysis"); strings.Contains(body, "Fresh Analysis") {
				t.Fatal("not published yet")
			}
		}
		at := testNow.Add(-time.Hour)
		an := posts.Analysis{Slug: "fresh", Title: "Fresh Analysis", Body: "New.", Authors: []string{"ali-alfoneh"},
			Status: "published", PublishAt: &at}
		if err := posts.SaveAnalysis(context.Background(), db, &an); err != nil {
			t.Fatal(err)
		}
		time.Sleep(every)
		for _, ts := range []*httptest.Server{a, b} {
			if _, body := get(t, ts, "/analysis"); !strings.Contains(body, "Fresh Analysis") {
				t.Error("an instance served a stale listing after the publish")
			}
		}
	})
}

// Between two reads of the content version, an outside write is not seen
// (the documented staleness bound); a write through the server itself is,
// at once.
func TestWritesThroughTheServerShowAtOnce(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		m := &fakeMailer{}
		ts := newTestServer(t, db, web.Options{ContentCheckEvery: time.Hour, Mailer: m, MinFillTime: -1})
		path := "/events/the-week-in-the-iranian-press"
		mustContain(t, func() string { _, b := get(t, ts, path); return b }(), "2 seats left.")
		ctx := context.Background()
		reg, _, err := posts.RequestRegistration(ctx, db, "the-week-in-the-iranian-press", "Outside", "out@side.example", testNow)
		if err == nil {
			_, _, err = posts.ConfirmRegistration(ctx, db, "the-week-in-the-iranian-press", reg.ID, testNow)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, body := get(t, ts, path); !strings.Contains(body, "2 seats left.") {
			t.Error("the version was read again within ContentCheckEvery")
		}
		requestSeat(t, ts, path, "Reader", "reader@x.example")
		confirmSeat(t, ts, m, 0)
		if _, body := get(t, ts, path); !strings.Contains(body, "This event is full.") {
			t.Error("a registration through the server did not show at once")
		}
	})
}

// A scheduled analysis appears when its time comes, with no write.
func TestScheduledPostAppearsOnTime(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		now := testNow
		ts := newTestServer(t, db, web.Options{Now: func() time.Time { return now }})
		if resp, _ := get(t, ts, "/analysis/a-scheduled-analysis"); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("before its time: %d", resp.StatusCode)
		}
		get(t, ts, "/analysis") // fill the cache
		now = time.Date(2030, 1, 1, 0, 0, 1, 0, time.UTC)
		if _, body := get(t, ts, "/analysis"); !strings.Contains(body, "Not Yet Public") {
			t.Error("listing still cached after the scheduled time")
		}
	})
}

func TestConditionalRequestsAndGzip(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		resp, body := get(t, ts, seedPath)
		etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		if etag == "" || lm == "" {
			t.Fatalf("no validators: ETag %q, Last-Modified %q", etag, lm)
		}
		if r, _ := get(t, ts, seedPath, "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", r.StatusCode)
		}
		if r, _ := get(t, ts, seedPath, "If-Modified-Since", lm); r.StatusCode != http.StatusNotModified {
			t.Errorf("If-Modified-Since: %d", r.StatusCode)
		}
		r, gz := get(t, ts, seedPath, "Accept-Encoding", "gzip")
		if r.Header.Get("Content-Encoding") != "gzip" {
			t.Fatal("not gzipped")
		}
		zr, err := gzip.NewReader(strings.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		if !bytes.Equal(plain, []byte(body)) {
			t.Error("gzip body differs from the plain one")
		}
		r, br := get(t, ts, seedPath, "Accept-Encoding", "gzip, br")
		if r.Header.Get("Content-Encoding") != "br" {
			t.Fatal("brotli not preferred")
		}
		if plain, err := io.ReadAll(brotli.NewReader(strings.NewReader(br))); err != nil || !bytes.Equal(plain, []byte(body)) {
			t.Errorf("brotli body differs from the plain one (%v)", err)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if r.Header.Get(h) == "" {
				t.Errorf("no %s header", h)
			}
		}
	})
}

// Mounted handlers get the middleware: a panic is a 500 page, and a
// cross-origin form post is refused.
func TestMountedHandlersShareMiddleware(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		srv, err := web.New(db, web.Options{SiteURL: "https://desk.example", Logger: discard()})
		if err != nil {
			t.Fatal(err)
		}
		srv.Handle("GET /boom", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
		srv.Handle("POST /subscribe", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
		ts := httptest.NewServer(srv.Handler())
		defer ts.Close()
		resp, body := get(t, ts, "/boom")
		if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "Something went wrong") {
			t.Errorf("panic: %d", resp.StatusCode)
		}
		req, _ := http.NewRequest("POST", ts.URL+"/subscribe", strings.NewReader("email=a@b.example"))
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site post: %d", r.StatusCode)
		}
	})
}

func TestEventRegistrationHonoursCapacity(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, _ *httptest.Server) {
		m := &fakeMailer{}
		ts := newTestServer(t, db, web.Options{Mailer: m, MinFillTime: -1})
		path := "/events/the-week-in-the-iranian-press"
		for i, email := range []string{"a@x.example", "b@x.example", "c@x.example"} {
			body := requestSeat(t, ts, path, "Reader", email)
			if i < 2 {
				body = confirmSeat(t, ts, m, i)
			}
			full := strings.Contains(body, "This event is full")
			if full != (i == 2) {
				t.Errorf("registration %d: full=%v", i, full)
			}
		}
		_, page := get(t, ts, path)
		mustContain(t, page, "This event is full.")
		r, ics := get(t, ts, path+"/event.ics")
		if r.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Errorf("ics type %q", r.Header.Get("Content-Type"))
		}
		mustContain(t, ics, "BEGIN:VEVENT\r\n", "DTSTART:20250710T140000Z\r\n", "SUMMARY:The Week in the Iranian Press\r\n")
	})
}

func TestFeedsAndSitemap(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		for path, want := range map[string]string{
			"/feed.xml":                          "<rss version=\"2.0\"",
			"/atom.xml":                          "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
			"/feed.json":                         "\"version\": \"https://jsonfeed.org/version/1.1\"",
			"/series/iran-media-review/feed.xml": "Russian Nuclear Mediation a Nonstarter",
			"/author/ali-alfoneh/atom.xml":       "Iran’s Strategic Dilemma",
			"/sitemap.xml":                       "https://desk.example/analysis/russian-nuclear-mediation-a-nonstarter",
			"/robots.txt":                        "Sitemap: https://desk.example/sitemap.xml",
		} {
			resp, body := get(t, ts, path)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("%s: %d, want %q in\n%.400s", path, resp.StatusCode, want, body)
			}
		}
	})
}

// Related analyses come from shared tags and authors, and the sanitizer
// keeps RTL markup while dropping scripts.
func TestAnalysisPage(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		_, body := get(t, ts, "/analysis/irans-strategic-dilemma-capitulation-or-parity")
		mustContain(t, body, `<span lang="fa" dir="rtl">ایران تسلیم نمی‌شود</span>`, `Related analyses`,
			`href="/analysis/the-united-states-on-the-verge-of-another-forever-war"`, `srcset="/images/hatami-video-call-`,
			`(Iranian Army Press Service via AP)`, `"@type":"BreadcrumbList"`)
		if strings.Contains(body, "alert(1)") {
			t.Error("script survived sanitizing")
		}
	})
}

// Resized images survive a publish (they are cached by content) and stop
// being served at their old URL when the image is replaced.
func TestResizedImages(t *testing.T) {
	demoServer(t, func(t *testing.T, db *store.DB, ts *httptest.Server) {
		_, page := get(t, ts, "/analysis/irans-strategic-dilemma-capitulation-or-parity")
		src := regexp.MustCompile(`/images/hatami-video-call-[0-9a-f]{10}-480\.jpg`).FindString(page)
		if src == "" {
			t.Fatal("no 480 px image on the page")
		}
		resp, first := get(t, ts, src)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/jpeg" ||
			resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || resp.Header.Get("ETag") == "" {
			t.Fatalf("%s: %d %v", src, resp.StatusCode, resp.Header)
		}
		if cfg, _, err := image.DecodeConfig(strings.NewReader(first)); err != nil || cfg.Width != 480 {
			t.Errorf("not 480 px wide: %v %v", cfg, err)
		}
		im, err := posts.ImageByKey(context.Background(), db, "hatami-video-call")
		if err != nil {
			t.Fatal(err)
		}
		im.Data = testJPEG(t, 1200, 800, 200)
		if err := posts.SaveImage(context.Background(), db, &im); err != nil {
			t.Fatal(err)
		}
		if resp, _ := get(t, ts, src); resp.StatusCode != http.StatusNotFound {
			t.Errorf("replaced image still served at its old URL: %d", resp.StatusCode)
		}
		if resp, _ := get(t, ts, "/images/hatami-video-call-"+im.Digest[:10]+"-480.jpg"); resp.StatusCode != http.StatusOK {
			t.Errorf("new image: %d", resp.StatusCode)
		}
	})
}
