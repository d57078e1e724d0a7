package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/store"
	"github.com/pressreview/pressreview/internal/store/storetest"
)

type probeArgs struct{ N int }

func (probeArgs) Kind() string { return "probe" }

// TestRescueOrphans: a running job whose instance stopped beating is made
// available again; one whose instance beats, and one run by a process
// that never registered (a CLI run), stay running.
func TestRescueOrphans(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		c, err := jobs.New(db, jobs.Config{})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		attempted := map[int]string{1: "dead", 2: "alive", 3: "cli"}
		ids := map[int]int64{}
		for n, by := range attempted {
			res, err := c.Insert(ctx, probeArgs{N: n}, nil)
			if err != nil {
				t.Fatal(err)
			}
			ids[n] = res.Job.ID
			set := `attempted_by = ARRAY['earlier', '` + by + `']`
			if db.Dialect() == store.SQLite {
				set = `attempted_by = jsonb('["earlier", "` + by + `"]')`
			}
			if _, err := db.ExecContext(ctx, `UPDATE river_job SET state = 'running', `+set+` WHERE id = ?`, res.Job.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO job_instances (id, seen_at) VALUES ('dead', ?), ('earlier', ?)`,
			now.Add(-time.Minute).UTC(), now.Add(-time.Minute).UTC()); err != nil {
			t.Fatal(err)
		}
		if err := jobs.Beat(ctx, db, "alive"); err != nil {
			t.Fatal(err)
		}
		n, err := jobs.RescueOrphans(ctx, db, now)
		if err != nil || n != 1 {
			t.Fatalf("rescued %d, %v; want 1", n, err)
		}
		for k, want := range map[int]string{1: "available", 2: "running", 3: "running"} {
			var state string
			if err := db.QueryRowContext(ctx, `SELECT state FROM river_job WHERE id = ?`, ids[k]).Scan(&state); err != nil {
				t.Fatal(err)
			}
			if state != want {
				t.Errorf("job attempted by %s is %s, want %s", attempted[k], state, want)
			}
		}
	})
}
