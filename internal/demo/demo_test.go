package demo

import (
	"bytes"
	"context"
	"image/png"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/demo/press"
	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/posts"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestPrepareLoadsOnceThenReuses: a new database gets the seed, the
// analyses with their pictures and the events; a second Prepare keeps
// what is there (demo --dir reuses its desk) and says so.
func TestPrepareLoadsOnceThenReuses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now()
		reused, err := Prepare(ctx, db, now)
		if err != nil || reused {
			t.Fatalf("first Prepare: reused %v, err %v", reused, err)
		}
		analyses, _, err := posts.List(ctx, db, posts.Filter{Kind: posts.KindAnalysis}, now, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(analyses) < 3 {
			t.Fatalf("%d analyses, want 3", len(analyses))
		}
		for _, a := range analyses {
			if a.Image == nil || a.Image.Caption == "" || a.Image.Alt == "" {
				t.Errorf("analysis %s: image %+v, want one with alt text and a caption", a.Slug, a.Image)
				continue
			}
			im, err := posts.ImageByKey(ctx, db, a.Image.Key)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := png.Decode(bytes.NewReader(im.Data)); err != nil || im.Width != 1200 {
				t.Errorf("image %s: %v, width %d", im.Key, err, im.Width)
			}
		}
		upcoming, _, err := posts.ListEvents(ctx, db, now, true, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		past, _, err := posts.ListEvents(ctx, db, now, false, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(upcoming) < 2 || len(past) < 2 {
			t.Errorf("%d upcoming and %d past events, want two of each", len(upcoming), len(past))
		}
		seed, err := posts.Find(ctx, db, posts.KindEdition, SeedSlug, now)
		if err != nil {
			t.Fatal(err)
		}
		related, err := posts.Related(ctx, db, seed, now, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(related) == 0 {
			t.Error("the seed edition has no related analyses")
		}

		// Something the newcomer did in the first run stays.
		if _, err := db.ExecContext(ctx, `UPDATE analyses SET title = 'Edited by the newcomer' WHERE slug = ?`, analyses[0].Slug); err != nil {
			t.Fatal(err)
		}
		reused, err = Prepare(ctx, db, now.Add(time.Hour))
		if err != nil || !reused {
			t.Fatalf("second Prepare: reused %v, err %v", reused, err)
		}
		a, err := posts.AnalysisBySlug(ctx, db, analyses[0].Slug)
		if err != nil || a.Title != "Edited by the newcomer" {
			t.Errorf("after reuse the analysis is %q (%v): the desk was loaded again", a.Title, err)
		}
	})
}

// TestStartPressSubscribesAndMovesFeeds: the press's outlets get one feed
// each; a press restarted on another port moves the feeds rather than
// leaving them to fail against the old one.
func TestStartPressSubscribesAndMovesFeeds(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	if _, err := Prepare(ctx, db, time.Now()); err != nil {
		t.Fatal(err)
	}
	p, err := StartPress(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	feeds, err := outlets.ListFeeds(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 6 {
		t.Fatalf("%d feeds, want 6: %+v", len(feeds), feeds)
	}
	for _, f := range feeds {
		resp, err := http.Get(f.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %s", f.URL, resp.Status)
		}
	}
	first := p.URL()
	// Hold the old port so the next press must move.
	p.Close()
	blocker := &http.Server{Handler: http.NotFoundHandler()}
	u, _ := url.Parse(first)
	if ln, err := listen(u.Host); err == nil {
		go blocker.Serve(ln)
		defer blocker.Close()
	}
	p2, err := StartPress(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	feeds, err = outlets.ListFeeds(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 6 {
		t.Fatalf("%d feeds after a restart, want the same 6", len(feeds))
	}
	for _, f := range feeds {
		if !strings.HasPrefix(f.URL, p2.URL()+"/") {
			t.Errorf("feed %s not on the running press %s", f.URL, p2.URL())
		}
	}
}

// TestTuneIngestAllowsLoopback: with the intake's default settings the
// fetcher refuses the press on loopback; with the demo's, it reads it.
func TestTuneIngestAllowsLoopback(t *testing.T) {
	p, err := press.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	feed := p.Feeds(p.URL())[0].URL
	var c ingest.Config
	if _, err := fetch.New(fetch.Config{Allow: c.Fetch.Allow}).Fetch(context.Background(), fetch.Request{URL: feed}); err == nil {
		t.Fatalf("the default fetcher read %s on loopback", feed)
	}
	TuneIngest(&c)
	if _, err := fetch.New(fetch.Config{Allow: c.Fetch.Allow}).Fetch(context.Background(), fetch.Request{URL: feed}); err != nil {
		t.Errorf("the demo's fetcher: %v", err)
	}
	if c.MaxInterval > time.Minute {
		t.Errorf("feeds checked every %v: the press's new articles would not show during the demo", c.MaxInterval)
	}
}

func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }
