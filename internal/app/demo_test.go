package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/demo"
	"github.com/pressreview/pressreview/internal/demo/press"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/search"
	"github.com/pressreview/pressreview/internal/store"
)

// startDemo runs `pressreview demo --dir dir` until the test ends and
// returns the site's base URL once it is served.
func startDemo(t *testing.T, dir string) (base string, out *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--dir", dir}, out, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo returned %v after Ctrl-C", err)
		}
	})
	urlRE := regexp.MustCompile(`pressreview demo is running: (http://\S+)/`)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		if m := urlRE.FindStringSubmatch(out.String()); m != nil {
			return m[1], out
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("demo stopped early: %v\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("demo printed no URL:\n%s", out.String())
	return "", nil
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	return string(body)
}

// deskState is what the demo's intake has done so far.
type deskState struct {
	outlets    map[string]int // articles per outlet
	storySize  int            // outlets carrying the agency story, grouped
	feedsOK    int
	kayhanHits int
	// saffron says the windows-1256 article is stored: khorasan's other
	// article (the reprint) can come in an earlier batch.
	saffron bool
}

func (s deskState) String() string {
	return fmt.Sprintf("articles by outlet %v, agency story grouped across %d outlets, %d feeds ok, %d hits for Kayhan, windows-1256 article stored %v",
		s.outlets, s.storySize, s.feedsOK, s.kayhanHits, s.saffron)
}

func (s deskState) ready() bool {
	return len(s.outlets) >= 3 && s.saffron && s.storySize >= 3 && s.feedsOK == 6 && s.kayhanHits > 0
}

func readDesk(t *testing.T, ctx context.Context, db *store.DB) deskState {
	t.Helper()
	s := deskState{outlets: map[string]int{}}
	rows, err := db.QueryContext(ctx, `SELECT o.key, COUNT(*) FROM articles a JOIN outlets o ON o.id = a.outlet_id GROUP BY o.key`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		s.outlets[k] = n
	}
	rows.Close()
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE url LIKE '%/khorasan/news/saffron-exports')`).Scan(&s.saffron); err != nil {
		t.Fatal(err)
	}
	var reprint int64
	err = db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM articles WHERE url LIKE '%/khorasan/news/tehran-dams'`).Scan(&reprint)
	if err != nil {
		t.Fatal(err)
	}
	if reprint != 0 {
		story, err := ingest.Story(ctx, db, reprint)
		if err != nil {
			t.Fatal(err)
		}
		carried := map[string]bool{}
		for _, a := range story {
			carried[a.OutletKey] = true
		}
		s.storySize = len(carried)
	}
	feeds, err := outlets.ListFeeds(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if f.Status() == "ok" {
			s.feedsOK++
		}
	}
	res, err := search.Search(ctx, db, search.Request{Query: "Kayhan"})
	if err != nil {
		t.Fatal(err)
	}
	s.kayhanHits = res.Total
	return s
}

// TestDemoDesk runs the demo as a newcomer would and waits (up to a
// generous deadline, polling) until the real intake has read the demo
// press: articles of at least three outlets, the windows-1256 one
// included, the agency story and its two reprints grouped, every feed
// healthy, and a search for Kayhan that finds something. The site shows
// the edition once on the home page, and analyses with captioned pictures,
// events and related content.
func TestDemoDesk(t *testing.T) {
	dir := t.TempDir()
	base, out := startDemo(t, dir)
	if strings.Contains(out.String(), "Reusing") {
		t.Errorf("a new directory is reported as reused:\n%s", out.String())
	}
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s deskState
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		if s = readDesk(t, ctx, db); s.ready() {
			break
		}
	}
	if !s.ready() {
		t.Fatalf("the demo desk did not fill up: %v\n%s", s, out.String())
	}
	var title string
	if err := db.QueryRowContext(ctx, `SELECT title FROM articles WHERE url LIKE '%/khorasan/news/saffron-exports'`).Scan(&title); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "زعفران خراسان") {
		t.Errorf("the windows-1256 article's title came out as %q", title)
	}

	home := get(t, base+"/")
	if n := strings.Count(home, `href="/analysis/`+demo.SeedSlug+`"`); n != 1 {
		t.Errorf("the home page links the edition %d times, want once", n)
	}
	for _, want := range []string{"Mediation Offer Splits", "Monitoring the Iranian Press", "<figcaption"} {
		if !strings.Contains(home, want) {
			t.Errorf("the home page lacks %q", want)
		}
	}
	analysis := get(t, base+"/analysis/mediation-offer-splits-tehran-press")
	for _, want := range []string{"<figcaption", "by the camp of the outlet", "Related analyses", "Written for the pressreview demo"} {
		if !strings.Contains(analysis, want) {
			t.Errorf("the analysis page lacks %q", want)
		}
	}
	events := get(t, base+"/events")
	if !strings.Contains(events, "Water, Energy and Public Opinion") || !strings.Contains(events, "Reading Tehran’s Front Pages") {
		t.Errorf("the events page lacks an upcoming or a past event")
	}

	// Every press page says what it is.
	m := regexp.MustCompile(`the demo press: (http://\S+)/kayhan/`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("the demo does not print its press:\n%s", out.String())
	}
	if page := get(t, m[1]+"/kayhan/news/tehran-dams"); !strings.Contains(page, press.Notice) {
		t.Errorf("a press article page lacks %q", press.Notice)
	}

	// The fetch it prints works against its desk: without the allowance a
	// fetch from another terminal is refused loopback and sets the press's
	// feeds back by an hour.
	fm := regexp.MustCompile(`(?m)^  PRESSREVIEW_FETCH_ALLOW=(\S+) pressreview (fetch --once .*)$`).FindStringSubmatch(out.String())
	if fm == nil {
		t.Fatalf("the demo prints no fetch command that may reach its press:\n%s", out.String())
	}
	t.Setenv("PRESSREVIEW_FETCH_ALLOW", fm[1])
	if fetched, err := run(t, strings.Fields(fm[2])...); err != nil || strings.Contains(fetched, "failing feed") {
		t.Errorf("pressreview %s: %v\n%s", fm[2], err, fetched)
	}
}

// TestDemoReusesDir: a second `demo --dir DIR` keeps the desk of the
// first (it used to wipe it silently) and says so.
func TestDemoReusesDir(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--dir", dir}, out, io.Discard)
	}()
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(out.String(), "press Ctrl-C") && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	// Something the newcomer did during the first run.
	db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(context.Background(), `UPDATE analyses SET title = 'Kept across runs' WHERE slug = 'field-guide-to-press-labels'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("first run: %v\n%s", err, out.String())
	}

	base, out := startDemo(t, dir)
	if !strings.Contains(out.String(), "Reusing the demo desk in "+dir) {
		t.Errorf("the second run does not say it reuses the desk:\n%s", out.String())
	}
	if page := get(t, base+"/analysis/field-guide-to-press-labels"); !strings.Contains(page, "Kept across runs") {
		t.Error("the second run wiped the first run's desk")
	}
}
