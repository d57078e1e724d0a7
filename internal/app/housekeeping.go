package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pressreview/pressreview/internal/accounts"
	"github.com/pressreview/pressreview/internal/jobs"
	"github.com/pressreview/pressreview/internal/store"
)

// accountsCleanupArgs is the job that deletes expired sessions and stale
// sign-in failures. It ran on a ticker in every instance; as a periodic
// job only the elected leader inserts it, so N instances clean once.
type accountsCleanupArgs struct{}

func (accountsCleanupArgs) Kind() string { return "accounts_cleanup" }

func (accountsCleanupArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.MaintenanceQueue, UniqueOpts: river.UniqueOpts{
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
			rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled},
	}}
}

type accountsCleanupWorker struct {
	river.WorkerDefaults[accountsCleanupArgs]
	auth *accounts.Auth
}

func (w *accountsCleanupWorker) Work(ctx context.Context, _ *river.Job[accountsCleanupArgs]) error {
	return w.auth.Cleanup(ctx)
}

// housekeepingJobs registers the desk's own maintenance workers and
// returns their queue and periodic jobs.
func housekeepingJobs(workers *river.Workers, db *store.DB) (map[string]river.QueueConfig, []*river.PeriodicJob) {
	// Cleanup needs only the database: an Auth without handlers does it.
	river.AddWorker(workers, &accountsCleanupWorker{auth: accounts.New(db, accounts.Config{})})
	return map[string]river.QueueConfig{jobs.MaintenanceQueue: {MaxWorkers: 1}}, []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(10*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return accountsCleanupArgs{}, nil },
			&river.PeriodicJobOpts{ID: "accounts_cleanup", RunOnStart: true}),
	}
}
