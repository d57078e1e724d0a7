package ingest

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/fetch"
	"github.com/pressreview/pressreview/internal/outlets"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// The fetching process runs as a child (this test binary re-executed) so
// the test can SIGKILL it: no deferred cleanup, no graceful shutdown.
const (
	envKillDSN  = "INGEST_KILL_DSN"
	envKillData = "INGEST_KILL_DATA"
)

// TestHelperFetchOnce is not a test: it is `pressreview fetch --once` as
// run by TestKilledFetchLosesNothing.
func TestHelperFetchOnce(t *testing.T) {
	dsn := os.Getenv(envKillDSN)
	if dsn == "" {
		t.Skip("runs only as the child of TestKilledFetchLosesNothing")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := Config{DataDir: os.Getenv(envKillData), UserAgent: "pressreview-test/1.0", Concurrency: 4,
		Fetch: fetch.Config{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}}
	if err := RunCLI(ctx, db, cfg, []string{"fetch", "--once"}, os.Stdout, os.Stderr); err != nil {
		t.Fatal(err)
	}
}

// TestKilledFetchLosesNothing kills `fetch --once` twice while it works
// through 300 pages, restarts it, and checks that every article is stored
// exactly once.
func TestKilledFetchLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	t.Run("sqlite", func(t *testing.T) { killTest(t, "sqlite:"+filepath.Join(t.TempDir(), "kill.db")) })
	t.Run("postgres", func(t *testing.T) { killTest(t, storetest.NewPostgresURL(t)) })
}

func killTest(t *testing.T, dsn string) {
	const feedsN, perFeed = 3, 100
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	migrateQueue(t, db)
	p := newPress(t)
	p.pageDelay = 10 * time.Millisecond
	o := outlets.Outlet{Key: "kayhan", Name: "Kayhan", Kind: outlets.Newspaper}
	if err := outlets.SaveOutlet(ctx, db, &o); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2024, 3, 7, 6, 0, 0, 0, time.UTC)
	for f := range feedsN {
		var items []feedItem
		for i := range perFeed {
			path := fmt.Sprintf("/k/%d/%d", f, i)
			p.set(path, page{ctype: "text/html; charset=utf-8", body: englishPage(path)})
			items = append(items, feedItem{"Item " + path, p.URL + path, base.Add(time.Duration(i) * time.Minute)})
		}
		feedPath := fmt.Sprintf("/k/%d/rss.xml", f)
		p.set(feedPath, page{ctype: "application/rss+xml", body: []byte(rssFeed("Kayhan", p.URL, items))})
		fd := outlets.Feed{OutletID: o.ID, URL: p.URL + feedPath}
		if err := outlets.SaveFeed(ctx, db, &fd); err != nil {
			t.Fatal(err)
		}
	}
	data := t.TempDir()
	for _, killAt := range []int64{40, 150} {
		cmd := child(dsn, data)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(time.Minute)
		for p.pageHits.Load() < killAt && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		stored := count(t, db, `SELECT COUNT(*) FROM articles`)
		t.Logf("killed after %d page requests; %d articles stored", p.pageHits.Load(), stored)
		if stored >= feedsN*perFeed {
			t.Fatalf("the child finished before it was killed; make the run longer")
		}
	}
	cmd := child(dsn, data)
	var out strings.Builder
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("the restarted fetch failed: %v\n%s", err, out.String())
	}
	t.Logf("restarted run: %s", strings.TrimSpace(out.String()))
	if n := count(t, db, `SELECT COUNT(*) FROM articles`); n != feedsN*perFeed {
		t.Errorf("%d articles stored, want %d", n, feedsN*perFeed)
	}
	if n := count(t, db, `SELECT COUNT(DISTINCT canonical_url) FROM articles`); n != feedsN*perFeed {
		t.Errorf("%d distinct article URLs, want %d", n, feedsN*perFeed)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM feed_entries WHERE state <> 'done' OR article_id IS NULL`); n != 0 {
		t.Errorf("%d feed items not stored", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM articles WHERE capture_id IS NULL`); n != 0 {
		t.Errorf("%d articles without their archived copy", n)
	}
}

func child(dsn, data string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperFetchOnce$", "-test.count=1")
	cmd.Env = append(os.Environ(), envKillDSN+"="+dsn, envKillData+"="+data)
	return cmd
}
