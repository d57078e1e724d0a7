package clips_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/clips"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// desk is a monitoring desk with a roster, the real intake and a loopback
// "press" whose pages the tests edit and delete.
type desk struct {
	db     *store.DB
	intake *ingest.Service
	clips  *clips.Service
	api    http.Handler
	press  *httptest.Server
	// archive serves the archived copies, as the studio does.
	archive http.Handler
	mu      sync.Mutex
	pages   map[string]pressPage
}

type pressPage struct {
	status int
	body   string
}

func newDesk(t testing.TB, db *store.DB) *desk {
	t.Helper()
	ctx := context.Background()
	d := &desk{db: db, pages: map[string]pressPage{}}
	d.press = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		p, ok := d.pages[r.URL.Path]
		d.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(p.status)
		fmt.Fprint(w, p.body)
	}))
	t.Cleanup(d.press.Close)
	dataDir := t.TempDir()
	var err error
	cfg := ingest.Config{
		DataDir: dataDir, UserAgent: "pressreview-test/1.0", Timeout: 5 * time.Second, ArchiveNoSync: true,
		Fetch: fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}},
	}
	d.archive = ingest.Handler(db, cfg)
	d.intake, err = ingest.New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.intake.Close() })
	d.clips = clips.New(db, cfg.Archive())
	d.api = clips.Handler(d.clips, "https://desk.example")
	for _, o := range []outlets.Outlet{
		{Key: "kayhan", Name: "Kayhan", NativeName: "کیهان", Kind: outlets.Newspaper, Language: "fa", Orientation: "hard-line"},
		{Key: "shargh", Name: "Shargh Daily", NativeName: "شرق", Kind: outlets.Newspaper, Language: "fa", Orientation: "reformist"},
	} {
		if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []outlets.Person{
		{Key: "kazem-gharibabadi", Name: "Kazem Gharibabadi", NativeName: "کاظم غریب‌آبادی",
			Role: "Iran’s deputy foreign minister", Aliases: []string{"Gharib-Abadi", "كاظم غريب آبادي"}},
		{Key: "hossein-shariatmadari", Name: "Hossein Shariatmadari", NativeName: "حسین شریعتمداری", Role: "Kayhan’s editor-in-chief"},
	} {
		if err := outlets.SavePerson(ctx, db, &p); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// page puts an article page on the press.
func (d *desk) page(path string, status int, title string, paras ...string) {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html><html lang=\"fa\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>%s</title>"+
		"<meta property=\"article:published_time\" content=\"2025-03-04T06:30:00Z\"></head><body><nav><a href=\"/\">خانه</a></nav>"+
		"<article><h1>%s</h1>", html.EscapeString(title), html.EscapeString(title))
	for _, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
	}
	b.WriteString("</article><footer>کلیه حقوق محفوظ است</footer></body></html>")
	d.mu.Lock()
	d.pages[path] = pressPage{status: status, body: b.String()}
	d.mu.Unlock()
}

func (d *desk) gone(path string) {
	d.mu.Lock()
	d.pages[path] = pressPage{status: http.StatusGone, body: "<p>removed</p>"}
	d.mu.Unlock()
}

// fetchArticle adds the press page at path to the archive.
func (d *desk) fetchArticle(t testing.TB, path string) ingest.Article {
	t.Helper()
	a, _, err := d.intake.AddURL(context.Background(), "kayhan", d.press.URL+path)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// paste adds pasted text (no capture) to the archive.
func (d *desk) paste(t testing.TB, text string) ingest.Article {
	t.Helper()
	a, _, err := d.intake.AddPasted(context.Background(), ingest.Paste{OutletKey: "kayhan", Source: "print edition, p. 2",
		Date: time.Date(2025, 3, 4, 21, 0, 0, 0, time.UTC), Lang: "fa", Body: []byte(text)})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// span returns the code-point offsets of the first exact in text.
func span(t testing.TB, text, exact string) (start, end int) {
	t.Helper()
	i := strings.Index(text, exact)
	if i < 0 {
		t.Fatalf("%q is not in the article's text %q", exact, text)
	}
	start = len([]rune(text[:i]))
	return start, start + len([]rune(exact))
}

// call sends a request to the clips API and decodes its JSON answer.
func (d *desk) call(t testing.TB, method, target string, body any) (int, map[string]any) {
	t.Helper()
	var r *http.Request
	switch b := body.(type) {
	case nil:
		r = httptest.NewRequest(method, target, nil)
	case string:
		r = httptest.NewRequest(method, target, strings.NewReader(b))
	default:
		j, _ := json.Marshal(b)
		r = httptest.NewRequest(method, target, bytes.NewReader(j))
	}
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	d.api.ServeHTTP(w, r)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s: %d, not JSON: %v\n%s", method, target, w.Code, err, w.Body)
	}
	return w.Code, out
}
