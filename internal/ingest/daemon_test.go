package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

// TestScheduler runs the intake as `serve` does: the periodic scheduler
// queues due feeds, whose checks queue the article fetches.
func TestScheduler(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		migrateQueue(t, db)
		d := newDesk(t, db)
		d.svc.cfg.PollEvery = 200 * time.Millisecond
		workers := river.NewWorkers()
		d.svc.Register(workers)
		client, err := jobs.New(db, jobs.Config{Workers: workers, Queues: d.svc.Queues(), PeriodicJobs: d.svc.PeriodicJobs()})
		if err != nil {
			t.Fatal(err)
		}
		if err := client.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = client.Stop(context.WithoutCancel(ctx)) }()
		deadline := time.Now().Add(time.Minute)
		for {
			n := count(t, db, `SELECT COUNT(*) FROM feed_entries WHERE state = 'done'`)
			unchecked := count(t, db, `SELECT COUNT(*) FROM feeds WHERE last_checked_at IS NULL`)
			// The article checked below may be in a batch still running
			// when the first 100 entries are done (a loaded machine, -race).
			stored, err := articleIDByURL(ctx, db, d.url("/fa/news/5"))
			if err != nil {
				t.Fatal(err)
			}
			if (n >= 100 && unchecked == 0 && stored != 0) || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		a := d.articleAt(t, "/fa/news/5")
		if a.Source != "feed" {
			t.Errorf("article source %q", a.Source)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM feeds WHERE last_checked_at IS NULL`); n != 0 {
			t.Errorf("%d feeds never checked by the scheduler", n)
		}
	})
}
