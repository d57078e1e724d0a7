package press

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/extract"
	"github.com/pressreview/pressreview/internal/feeds"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/text"
)

// clock is a press clock the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// TestPressPublishesOnItsClock reads every feed through the desk's own
// fetcher and parser: the items out at the start, more later, every page
// extractable with its notice, windows-1256 decoded as written.
func TestPressPublishesOnItsClock(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	c := &clock{start}
	p := New(start, c.now)
	srv := httptest.NewServer(p)
	defer srv.Close()
	cfg := fetch.DefaultConfig()
	cfg.HostDelay = 0
	cfg.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	f := fetch.New(cfg)
	ctx := context.Background()

	count := func() (int, map[string][]feeds.Item) {
		n, items := 0, map[string][]feeds.Item{}
		for _, fd := range p.Feeds(srv.URL) {
			resp, err := f.Fetch(ctx, fetch.Request{URL: fd.URL})
			if err != nil {
				t.Fatalf("%s: %v", fd.URL, err)
			}
			parsed, err := feeds.Parse(resp.Text, resp.FinalURL)
			if err != nil {
				t.Fatalf("%s: %v", fd.URL, err)
			}
			items[fd.Outlet] = parsed.Items
			n += len(parsed.Items)
		}
		return n, items
	}
	atStart, items := count()
	if atStart < 12 {
		t.Errorf("%d items out at the start, want the backlog of at least 12", atStart)
	}
	for _, it := range items["khorasan"] {
		if it.Title == "" || !strings.ContainsAny(it.Title, "زعفرانمشهدسد") {
			t.Errorf("windows-1256 item title %q", it.Title)
		}
	}
	c.t = start.Add(10 * time.Minute)
	later, items := count()
	if later <= atStart {
		t.Errorf("nothing new after ten minutes: %d items, %d at the start", later, atStart)
	}

	// Every page: fetched, decoded and extracted like the desk does.
	for outlet, its := range items {
		for _, it := range its {
			resp, err := f.Fetch(ctx, fetch.Request{URL: it.URL})
			if err != nil {
				t.Fatalf("%s: %v", it.URL, err)
			}
			if outlet == "khorasan" && resp.Charset != "windows-1256" {
				t.Errorf("%s decoded from %q, want windows-1256", it.URL, resp.Charset)
			}
			a, err := extract.Extract(resp.Text, resp.FinalURL)
			if err != nil {
				t.Fatalf("%s: %v", it.URL, err)
			}
			if a.Title != it.Title || a.Published.IsZero() || !strings.Contains(string(resp.Text), Notice) {
				t.Errorf("%s: title %q (feed %q), published %v, notice there: %v", it.URL, a.Title, it.Title,
					a.Published, strings.Contains(string(resp.Text), Notice))
			}
			// The dateline is the page's, not the article's: a machine
			// timestamp at the head of every text crowds the snippets.
			if stamp := a.Published.UTC().Format(time.RFC3339); strings.Contains(a.Text, stamp) {
				t.Errorf("%s: the extracted text carries the timestamp %s:\n%s", it.URL, stamp, a.Text)
			}
		}
	}
}

// TestPressUnpublishedIsNotFound: an article not yet out is 404, and an
// unchanged feed answers 304 to its validator.
func TestPressUnpublishedAndNotModified(t *testing.T) {
	start := time.Now()
	p := New(start, func() time.Time { return start })
	srv := httptest.NewServer(p)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/kayhan/news/fuel-queues")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("an article due in 30 s: %s", resp.Status)
	}
	resp, err = http.Get(srv.URL + "/kayhan/rss.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/kayhan/rss.xml", nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET of an unchanged feed: %s", resp.Status)
	}
}

// TestReprintsAreNearDuplicates: the agency story and its two reprints
// are within the desk's near-duplicate distance, and no two different
// stories are.
func TestReprintsAreNearDuplicates(t *testing.T) {
	type doc struct {
		id   string
		hash uint64
	}
	var docs []doc
	for _, o := range Outlets() {
		for _, it := range o.Items {
			body := it.Title + "\n" + it.Dek + "\n" + strings.Join(it.Paras, "\n")
			if o.Charset == "windows-1256" {
				body = legacy1256.Replace(body)
			}
			if text.Words(body) < 80 {
				continue
			}
			_, tokens := text.Analyze(body)
			docs = append(docs, doc{o.Key + "/" + it.Slug, text.SimhashOf(tokens)})
		}
	}
	for i, a := range docs {
		for _, b := range docs[i+1:] {
			d := text.Hamming(a.hash, b.hash)
			same := strings.HasSuffix(a.id, "/tehran-dams") && strings.HasSuffix(b.id, "/tehran-dams")
			if same && d > text.NearDuplicateDistance {
				t.Errorf("reprints %s and %s are %d bits apart", a.id, b.id, d)
			}
			if !same && d <= text.NearDuplicateDistance {
				t.Errorf("different stories %s and %s are %d bits apart", a.id, b.id, d)
			}
		}
	}
}
