package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/pressreview/pressreview/internal/demo/press"
	"github.com/pressreview/pressreview/internal/exchange"
	"github.com/pressreview/pressreview/internal/ingest"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
)

// Prepare makes db a demo desk. A database that already holds the seed
// edition is a desk from an earlier run (demo --dir): it is kept as it is
// and reused is true. Otherwise it loads the seed edition, the roster, the
// newsletter lists and the demo's analyses, events and pictures, dated
// around now.
func Prepare(ctx context.Context, db *store.DB, now time.Time) (reused bool, err error) {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM editions WHERE slug = ?`, SeedSlug).Scan(&n); err != nil {
		return false, fmt.Errorf("demo: look for an earlier demo desk: %w", err)
	}
	if n > 0 {
		return true, nil
	}
	if err := Load(ctx, db); err != nil {
		return false, err
	}
	if _, err := exchange.Import(ctx, db, "demo content", content(now)); err != nil {
		return false, fmt.Errorf("demo data: %w", err)
	}
	return false, nil
}

// StartPress starts the demo's press on loopback and subscribes each of
// its outlets to its feed. A desk from an earlier run gets its press back
// on the same port when that is free; otherwise its press feeds are moved
// to the new address, so they do not fail against a port nobody answers.
func StartPress(ctx context.Context, db *store.DB) (*press.Press, error) {
	old, err := pressFeeds(ctx, db)
	if err != nil {
		return nil, err
	}
	var p *press.Press
	if len(old) > 0 {
		if u, err := url.Parse(old[0].URL); err == nil {
			p, _ = press.Start(u.Host) // nil when the port is taken now
		}
	}
	if p == nil {
		if p, err = press.Start("127.0.0.1:0"); err != nil {
			return nil, err
		}
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for _, f := range old {
			u, _ := url.Parse(f.URL)
			moved := p.URL() + u.Path
			if moved == f.URL {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE feeds SET url = ?, next_check_at = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?`,
				moved, time.Now().UTC(), f.ID); err != nil {
				return fmt.Errorf("demo: move feed %s to %s: %w", f.URL, moved, err)
			}
		}
		for _, f := range p.Feeds(p.URL()) {
			o, err := outlets.OutletByKey(ctx, tx, f.Outlet)
			if err != nil {
				return fmt.Errorf("demo press outlet %q: %w", f.Outlet, err)
			}
			if _, err := outlets.FeedByURL(ctx, tx, f.URL); err == nil {
				continue
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if err := outlets.SaveFeed(ctx, tx, &outlets.Feed{OutletID: o.ID, URL: f.URL}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// pressFeeds lists the feeds an earlier demo subscribed to on its press:
// loopback URLs whose path is one of the press's feeds.
func pressFeeds(ctx context.Context, db *store.DB) ([]outlets.Feed, error) {
	all, err := outlets.ListFeeds(ctx, db, "")
	if err != nil {
		return nil, err
	}
	paths := map[string]bool{}
	for _, o := range press.Outlets() {
		paths[press.FeedPath(&o)] = true
	}
	var out []outlets.Feed
	for _, f := range all {
		u, err := url.Parse(f.URL)
		if err == nil && strings.HasPrefix(u.Host, "127.0.0.1:") && paths[u.Path] {
			out = append(out, f)
		}
	}
	return out, nil
}

// TuneIngest fits the intake's settings to the demo's press: the fetcher
// may reach loopback, where the press is (it refuses loopback by
// default); feeds are checked every 15 to 30 seconds, so the articles the
// press publishes over the first minutes arrive while the newcomer
// watches; and the press, which is ours, is not spaced out to one request
// a second. A failing feed is retried within a minute.
func TuneIngest(c *ingest.Config) {
	c.Fetch.Allow = append(c.Fetch.Allow, netip.MustParsePrefix("127.0.0.0/8"))
	c.PollEvery = 5 * time.Second
	c.MinInterval = 15 * time.Second
	c.MaxInterval = 30 * time.Second
	c.MaxBackoff = time.Minute
	c.HostDelay = 50 * time.Millisecond
}

// Guide prints what the newcomer can watch while the demo runs: the
// press, the intake from the command line and in the browser. site is the
// demo site's URL, dbPath its SQLite file and dataDir its WARC directory.
// The fetch it prints allows loopback as the demo's own intake does:
// without it the press's feeds are refused and set back by an hour.
func Guide(w io.Writer, site string, p *press.Press, dbPath, dataDir string) {
	db := "--database " + shellQuote("sqlite:"+dbPath)
	fmt.Fprintf(w, `the demo press: %s/kayhan/ and five more outlets (Persian in UTF-8 and in windows-1256, Arabic, English)
  publish their feeds on loopback; the desk polls them every 15-30 s and new articles appear over the next minutes
watch the intake from another terminal:
  pressreview feeds list %s
  pressreview search %s Kayhan          (articles that name the paper)
  pressreview search %s outlet:kayhan   (the paper's own articles)
  pressreview search %s --coverage day --by orientation lang:fa,ar,en
fetch now rather than wait (the fetcher refuses loopback unless told):
  PRESSREVIEW_FETCH_ALLOW=127.0.0.0/8 pressreview fetch --once %s --data-dir %s
or in the browser, signed in to the studio:
  %s/api/feeds
  %s/api/search?q=Kayhan
  %s/api/coverage.svg?q=lang:fa,ar,en&interval=day&by=orientation
`, p.URL(), db, db, db, db, db, shellQuote(dataDir), site, site, site)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
