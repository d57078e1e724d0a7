// Package jobs runs pressreview's background work (feed polling, article
// fetches, campaign deliveries) on River, a maintained job queue that runs on
// both of pressreview's stores. One client type serves both: River's
// database/sql drivers for SQLite and PostgreSQL share the *sql.Tx
// transaction type, so domain code enqueues jobs inside its own
// transactions the same way on either store.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/pressreview/pressreview/internal/store"
)

// Client is the job queue client.
type Client = river.Client[*sql.Tx]

func driver(db *store.DB) (riverdriver.Driver[*sql.Tx], error) {
	if db.Dialect() == store.Postgres {
		return riverdatabasesql.New(db.SQL), nil
	}
	pool, err := db.QueueSQL()
	if err != nil {
		return nil, err
	}
	return riversqlite.New(pool), nil
}

// Migrate creates or updates River's own tables.
func Migrate(ctx context.Context, db *store.DB) error {
	d, err := driver(db)
	if err != nil {
		return err
	}
	m, err := rivermigrate.New(d, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// JobTimeout bounds every job run: its context is cancelled after it.
const JobTimeout = 10 * time.Minute

// Config says which workers run and how many jobs at once per queue. A
// client with no workers can still insert jobs (the CLI does this).
type Config struct {
	Workers *river.Workers
	Queues  map[string]river.QueueConfig
	Logger  *slog.Logger
	// PeriodicJobs are inserted on their schedules by the client elected
	// leader, so several instances do not insert them several times.
	PeriodicJobs []*river.PeriodicJob
	// RescueStuckJobsAfter is how long a job may stay "running" before the
	// leader treats it as abandoned (its process was killed) and retries it.
	// It must be longer than JobTimeout (River refuses less), or a job still
	// working would be started a second time. Zero keeps River's default,
	// JobTimeout plus an hour: that long a killed process's jobs wait.
	RescueStuckJobsAfter time.Duration
	// InstanceID, when set, names this process in the queue and makes the
	// client retry the running jobs of instances that stopped beating
	// (see RescueOrphans); the caller records it alive with Beat and
	// RunBeats. Empty: River's own ID, and no such rescue (the CLI).
	InstanceID string
}

// New builds a client. Polling replaces LISTEN/NOTIFY (which the
// database/sql drivers lack); a short interval keeps latency low.
func New(db *store.DB, cfg Config) (*Client, error) {
	d, err := driver(db)
	if err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	rc := &river.Config{
		Logger:            logger,
		FetchPollInterval: 200 * time.Millisecond,
		FetchCooldown:     50 * time.Millisecond,
		PollOnly:          true,
		JobTimeout:        JobTimeout,
		// River fills in its default when this is zero.
		RescueStuckJobsAfter: cfg.RescueStuckJobsAfter,
	}
	if cfg.Workers != nil {
		rc.Workers = cfg.Workers
		rc.Queues = cfg.Queues
		rc.PeriodicJobs = cfg.PeriodicJobs
		if rc.Queues == nil {
			rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}
		}
		if cfg.InstanceID != "" {
			rc.ID = cfg.InstanceID
			river.AddWorker(cfg.Workers, &rescueWorker{db: db, log: logger})
			rc.Queues = maps.Clone(rc.Queues)
			if _, ok := rc.Queues[MaintenanceQueue]; !ok {
				rc.Queues[MaintenanceQueue] = river.QueueConfig{MaxWorkers: 1}
			}
			rc.PeriodicJobs = append(slices.Clone(rc.PeriodicJobs), river.NewPeriodicJob(river.PeriodicInterval(DeadAfter/3),
				func() (river.JobArgs, *river.InsertOpts) { return rescueArgs{}, nil },
				&river.PeriodicJobOpts{ID: "jobs_rescue_orphans", RunOnStart: true}))
		}
	}
	c, err := river.NewClient(pollingDriver{d}, rc)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return c, nil
}

// pollingDriver tells River that its driver has no listener. Both drivers
// claim one, and with PollOnly set River then neither listens nor tells
// its own producers of the jobs this client inserts: they waited for the
// next FetchPollInterval, up to 200 ms, before starting a job inserted
// in this very process — twice at the start of `fetch --once` (its feed
// checks, then the first article batches), with the cores idle meanwhile.
// Without a listener River treats the client as poll-only and wakes the
// inserted queue's producer at once (within FetchCooldown).
type pollingDriver struct {
	riverdriver.Driver[*sql.Tx]
}

func (pollingDriver) SupportsListener() bool { return false }
