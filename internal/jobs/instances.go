package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pressreview/pressreview/internal/store"
)

// A killed process leaves its jobs "running" in River's table, and River
// retries such a job only after RescueStuckJobsAfter, which must exceed
// JobTimeout: a quarter of an hour at least, during which the feed entries
// or campaign senders of that job wait. An instance that runs the queue
// therefore says it is alive (job_instances, every BeatEvery), and the
// elected leader retries at once the running jobs whose last attempt
// belongs to an instance not seen for DeadAfter. Jobs attempted by a
// process that never registered (a CLI run) are left to River's rescuer.
const (
	BeatEvery = 5 * time.Second
	DeadAfter = 30 * time.Second
	// forgetAfter drops the rows of instances gone for good; River's own
	// rescuer covers whatever is left after it.
	forgetAfter = 24 * time.Hour
)

// NewInstanceID names this process in the queue (River's client ID) and
// in job_instances: unique per process, so that a restarted instance never
// mistakes its predecessor's jobs for its own.
func NewInstanceID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s_%d_%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Beat records that instance id is alive now.
func Beat(ctx context.Context, db *store.DB, id string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO job_instances (id, seen_at) VALUES (?, ?)
		ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`, id, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("job queue: record instance %s alive: %w", id, err)
	}
	return nil
}

// RunBeats calls Beat every BeatEvery until ctx ends. Call Beat once
// before starting the queue, so that no job of this instance runs before
// it is known alive.
func RunBeats(ctx context.Context, db *store.DB, id string, log *slog.Logger) {
	t := time.NewTicker(BeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := Beat(ctx, db, id); err != nil && ctx.Err() == nil {
			log.Warn("job queue heartbeat", "err", err)
		}
	}
}

// RescueOrphans makes the running jobs of dead instances available again
// and returns how many it moved.
func RescueOrphans(ctx context.Context, db *store.DB, now time.Time) (int64, error) {
	last := `attempted_by[array_length(attempted_by, 1)]`
	if db.Dialect() == store.SQLite {
		last = `json_extract(attempted_by, '$[#-1]')`
	}
	cutoff := now.UTC().Add(-DeadAfter)
	res, err := db.ExecContext(ctx, `UPDATE river_job SET state = 'available'
		WHERE state = 'running' AND `+last+` IN (SELECT id FROM job_instances WHERE seen_at < ?)`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("job queue: rescue the jobs of dead instances: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := db.ExecContext(ctx, `DELETE FROM job_instances WHERE seen_at < ?`, now.UTC().Add(-forgetAfter)); err != nil {
		return n, fmt.Errorf("job queue: forget old instances: %w", err)
	}
	return n, nil
}

// rescueArgs is the leader's periodic look for dead instances' jobs.
type rescueArgs struct{}

func (rescueArgs) Kind() string { return "jobs_rescue_orphans" }

func (rescueArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: MaintenanceQueue, MaxAttempts: 1, UniqueOpts: river.UniqueOpts{
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
			rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled},
	}}
}

// MaintenanceQueue runs the desk's own upkeep: this rescue, and what the
// caller adds (expired sessions). One queue for all of it, because every
// queue costs each instance a poll of the database five times a second.
const MaintenanceQueue = "maintenance"

type rescueWorker struct {
	river.WorkerDefaults[rescueArgs]
	db  *store.DB
	log *slog.Logger
}

func (w *rescueWorker) Work(ctx context.Context, _ *river.Job[rescueArgs]) error {
	n, err := RescueOrphans(ctx, w.db, time.Now())
	if n > 0 {
		w.log.Warn("job queue: jobs of instances that stopped answering are retried", "jobs", n)
	}
	return err
}
